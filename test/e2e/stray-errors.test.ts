import t from "tap";
import { endsByTask, exits, stackLines, type Test } from "../helpers/fixtures.js";
import { awaitNoSurvivors, uniqueMarker } from "../helpers/live.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

/** Runs `tasks` (run functions, as source) beside a task sleeping under a unique marker, with --output json. */
async function runBeside(t: Test, tasks: Record<string, string>, args: string[]) {
  const marker = uniqueMarker();
  const body = Object.entries(tasks).map(([name, run]) => `${name}: { run: ${run} },`).join("\n    ");
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {\n    ${body}\n    sleeper: { run: "sleep 1.${marker}; echo slept" },\n  } };\n`,
  });
  const result = await runMity(["--output", "json", "-p", ...args, "sleeper"], { cwd: dir });
  const list = events(result.stdout.split("\n").filter((line) => line.startsWith("{")).join("\n"));
  return { result, list, ends: endsByTask(list), left: await awaitNoSurvivors(marker, 300) };
}

t.test("a ctx.sh without await fails its task with the command's exit code", async (t) => {
  const { result, list, ends, left } = await runBeside(t, { noawait: "({ sh }) => { sh`exit 4`; }" }, ["noawait"]);
  exits(t, result, 1);
  // The place of the call that lacks its await.
  t.match(ends.get("noawait"), { state: "failed", exitCode: 4, reason: /command failed with exit code 4: exit 4 \(at mityfile\.ts:2:\d+\)/ });
  t.match(ends.get("sleeper"), { state: "ok" });
  t.match(list.at(-1), { event: "summary", state: "failed" });
  t.same(stackLines(result.stderr), [], "no raw stack");
  t.same(left, [], "nothing left running");
});

t.test("a ctx.sh without await that succeeds is waited for, and its task is ok", async (t) => {
  const { result, ends } = await runBeside(t, { floating: "({ sh }) => { sh`sleep 0.2; echo floated`; }" }, ["floating"]);
  exits(t, result, 0);
  t.match(ends.get("floating"), { state: "ok" });
  t.match(result.stdout, /"task":"floating","stream":"stdout","line":"floated"/);
});

t.test("an unhandled rejection fails the task whose code made it, and only that task", async (t) => {
  const { result, list, ends, left } = await runBeside(
    t,
    {
      waits: `async () => { Promise.reject(new Error("rejected while waiting")); await new Promise((r) => setTimeout(r, 300)); }`,
      returns: `async () => { Promise.reject(new Error("rejected on the way out")); }`,
      fine: `async () => { await new Promise((r) => setTimeout(r, 100)); }`,
    },
    ["-k", "waits", "returns", "fine"],
  );
  exits(t, result, 1);
  t.match(ends.get("waits"), { state: "failed", reason: /rejected while waiting/ });
  t.match(ends.get("returns"), { state: "failed", reason: /rejected on the way out/ });
  t.match(ends.get("fine"), { state: "ok" });
  t.match(ends.get("sleeper"), { state: "ok" });
  t.match(list.at(-1), { event: "summary", state: "failed" });
  t.same(stackLines(result.stderr), []);
  t.same(left, []);
});

t.test("a throw from a timer while the task runs fails it and stops its commands", async (t) => {
  const { result, ends, left } = await runBeside(
    t,
    { timer: `async ({ sh }) => { setTimeout(() => { throw new Error("thrown from a timer"); }, 100); await sh\`sleep 30\`; }` },
    ["-k", "timer"],
  );
  exits(t, result, 1);
  t.match(ends.get("timer"), { state: "failed", reason: /thrown from a timer/ });
  t.ok(Number(ends.get("timer")!.duration) < 10_000, "the sleep was stopped");
  t.same(left, []);
});

t.test("an error after its task ended fails the run, with the summary and nothing left running", async (t) => {
  const { result, list, ends, left } = await runBeside(t, { late: `() => { setTimeout(() => { throw new Error("too late"); }, 100); }` }, ["late"]);
  exits(t, result, 1);
  t.match(ends.get("late"), { state: "ok" });
  t.match(result.stderr, /mity: task "late", after it had ended, let an error escape: too late/);
  t.match(list.at(-1), { event: "summary", state: "failed" });
  t.same(stackLines(result.stderr), []);
  t.same(left, []);
});

t.test("process.exit() in a run function fails its task and the run goes on to its summary", async (t) => {
  const { result, list, ends, left } = await runBeside(
    t,
    { exits: `async () => { await new Promise((r) => setTimeout(r, 100)); process.exit(3); }`, sync: `() => { process.exit(0); }` },
    ["-k", "exits", "sync"],
  );
  exits(t, result, 1);
  t.match(ends.get("exits"), { state: "failed", reason: /called process\.exit\(3\)/ });
  t.match(ends.get("sync"), { state: "failed", reason: /called process\.exit\(0\)/ });
  t.match(ends.get("sleeper"), { state: "ok" });
  t.match(list.at(-1), { event: "summary", state: "failed" });
  t.same(left, []);
});
