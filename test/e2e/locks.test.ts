import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import t from "tap";
import { endsByTask, exits, jsonMityfile, readLog, type Test } from "../helpers/fixtures.js";
import { startMity } from "../helpers/live.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

t.jobs = 3;

/**
 * `apply` holds the lock "tfstate" until the file `go` appears (so the test, not the clock, says when it
 * ends); `quick` takes the same lock and is done at once. Each notes in order.log when it is inside.
 */
const TASKS = {
  apply: { lock: "tfstate", run: "echo apply-in >> order.log; while [ ! -f go ]; do sleep 0.05; done; echo apply-out >> order.log" },
  quick: { lock: "tfstate", run: "echo quick-in >> order.log" },
  free: { run: "echo free >> order.log" },
};

const project = (t: Test) => tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: TASKS }) });

t.test("two mity processes on one project: the second waits for the first's lock, saying for whom", async (t) => {
  const dir = project(t);
  const first = startMity(["apply"], dir);
  t.teardown(() => first.child.kill("SIGKILL"));
  await first.waitFor(/apply\] started/);
  const second = startMity(["quick"], dir);
  t.teardown(() => second.child.kill("SIGKILL"));
  await second.waitFor(new RegExp(`waiting for lock "tfstate" held by mity pid ${first.child.pid} \\(task apply\\)`));
  t.strictSame(readLog(join(dir, "order.log")), ["apply-in"], "the second task is not inside while the first holds the lock");
  writeFileSync(join(dir, "go"), "");
  t.equal((await first.exited).code, 0, first.output());
  t.equal((await second.exited).code, 0, second.output());
  t.strictSame(readLog(join(dir, "order.log")), ["apply-in", "apply-out", "quick-in"]);
  t.notOk(existsSync(join(dir, ".mity", "locks", "tfstate.lock")), "the lock file is gone once released");
});

t.test("a lock whose holder was killed (SIGKILL) is taken over at once", async (t) => {
  const dir = project(t);
  const first = startMity(["apply"], dir);
  await first.waitFor(/apply\] started/);
  first.child.kill("SIGKILL");
  await first.exited;
  // Its task is left running (nobody stopped it): end it so it does not outlive the test.
  writeFileSync(join(dir, "go"), "");
  t.ok(existsSync(join(dir, ".mity", "locks", "tfstate.lock")), "the killed run left its lock file behind");
  const second = await runMity(["quick"], { cwd: dir });
  exits(t, second, 0, "the next run");
  t.notMatch(second.stderr, /waiting for lock/);
});

t.test("a lock file of an older or crashed mity naming a pid that is gone does not hold anyone", async (t) => {
  const dir = project(t);
  const gone = spawnSync("true").pid!;
  mkdirSync(join(dir, ".mity", "locks"), { recursive: true });
  writeFileSync(join(dir, ".mity", "locks", "tfstate.lock"), JSON.stringify({ pid: gone, host: hostname(), task: "apply" }));
  const run = await runMity(["quick"], { cwd: dir });
  exits(t, run, 0);
  t.notMatch(run.stderr, /waiting for lock/);
});

t.test("Ctrl-C while waiting for a lock ends the run at once; the holder goes on", async (t) => {
  const dir = project(t);
  const first = startMity(["apply"], dir);
  t.teardown(() => first.child.kill("SIGKILL"));
  await first.waitFor(/apply\] started/);
  const second = startMity(["quick", "--output", "json"], dir);
  t.teardown(() => second.child.kill("SIGKILL"));
  await second.waitFor(/waiting for lock/);
  second.child.kill("SIGINT");
  const ended = await second.exited;
  t.equal(ended.code, 130, second.output());
  const end = endsByTask(events(second.output().split("\n").filter((line) => line.startsWith("{")).join("\n"))).get("quick");
  t.match(end, { state: "skipped", reason: "not started: the run was interrupted" });
  t.strictSame(readLog(join(dir, "order.log")), ["apply-in"], "quick never went in");
  writeFileSync(join(dir, "go"), "");
  t.equal((await first.exited).code, 0, first.output());
});

t.test("a mity run by a task that holds the lock (a nested run) does not wait for its own parent", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": jsonMityfile({
      tasks: {
        outer: { lock: "tfstate", run: `${JSON.stringify(process.execPath)} ${JSON.stringify(join(import.meta.dirname, "../../bin/mity.js"))} inner` },
        inner: { lock: "tfstate", run: "echo inner ran" },
      },
    }),
  });
  const run = await runMity(["outer"], { cwd: dir });
  exits(t, run, 0);
  t.match(run.stdout, /inner ran/);
});

t.test("a mity run by another task of the holder's run still waits for the lock", async (t) => {
  const mity = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(import.meta.dirname, "../../bin/mity.js"))}`;
  const dir = tempTree(t, {
    "mityfile.ts": jsonMityfile({
      tasks: {
        ...TASKS,
        nested: { run: `${mity} quick` },
        both: { deps: ["apply", "nested"], concurrent: true },
      },
    }),
  });
  const run = startMity(["both", "-j2"], dir);
  t.teardown(() => run.child.kill("SIGKILL"));
  await run.waitFor(/waiting for lock "tfstate" held by mity pid \d+ \(task apply\)/);
  t.strictSame(readLog(join(dir, "order.log")), ["apply-in"]);
  writeFileSync(join(dir, "go"), "");
  t.equal((await run.exited).code, 0, run.output());
  t.strictSame(readLog(join(dir, "order.log")), ["apply-in", "apply-out", "quick-in"]);
});

t.test("a run whose tasks take no lock makes no lock files", async (t) => {
  const dir = project(t);
  exits(t, await runMity(["free"], { cwd: dir }), 0);
  t.notOk(existsSync(join(dir, ".mity", "locks")));
  t.equal(readFileSync(join(dir, "order.log"), "utf8"), "free\n");
});
