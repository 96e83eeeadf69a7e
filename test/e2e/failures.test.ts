import t from "tap";
import { join } from "node:path";
import { endsByTask, exits, logged, readLog, type Json, type Test } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

const mityfile = `export default {
  tasks: {
    fail: { run: "sleep 0.2; exit 3" },
    slow: { run: ${JSON.stringify(`sleep 0.6; ${logged()}`)} },
    later: { run: ${JSON.stringify(logged())} },
    after: { deps: ["fail"], run: ${JSON.stringify(logged())} },
    chain: { deps: ["slow"], run: ${JSON.stringify(logged())} },
    group: { deps: ["after"] },
    independent: { run: ${JSON.stringify(logged())} },
    sleeper: { run: "echo $$ > sleeper.pid; sleep 10; touch late.txt" },
    throws: { run: async () => { throw new Error("the thrown message"); } },
  },
};
`;

/** Runs with `--output json` and returns the events and the end events by task. */
async function runJson(dir: string, args: string[]) {
  const started = performance.now();
  const result = await runMity(["--output", "json", ...args], { cwd: dir });
  const wall = performance.now() - started;
  const list = events(result.stdout);
  return { result, list, ends: endsByTask(list), wall, log: readLog(join(dir, "order.log")) };
}

/** Every selected task ended exactly once, and the summary counts agree with the ends. */
function checkEnds(t: Test, list: readonly Json[], ends: Map<string, Json>, selected: string[]) {
  t.strictSame([...ends.keys()].sort(), [...selected].sort(), "exactly one end per selected task");
  const summary = list.filter((e) => e.event === "summary");
  t.equal(summary.length, 1, "one summary");
  const counts: Record<string, number> = { ok: 0, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0 };
  for (const end of ends.values()) counts[String(end.state)]!++;
  t.strictSame(summary[0]?.counts, counts, "summary counts match the ends");
}

t.test("default policy: running siblings finish, nothing new starts, dependents are skipped", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { result, list, ends, log } = await runJson(dir, ["--parallel", "-j2", "fail", "slow", "later", "after", "chain"]);
  exits(t, result, 1);
  checkEnds(t, list, ends, ["fail", "slow", "later", "after", "chain"]);
  t.match(ends.get("fail"), { state: "failed", exitCode: 3 });
  t.match(ends.get("slow"), { state: "ok", exitCode: 0 }, "the sibling that was running finished ok");
  t.ok(Number(ends.get("slow")?.duration) >= 500, "and was not cut short");
  t.match(ends.get("later"), { state: "skipped", reason: /"fail"/ }, "a task waiting for a slot is skipped, naming the failure");
  t.match(ends.get("chain"), { state: "skipped", reason: /"fail"/ }, "a task whose dep was still running is skipped, naming the failure");
  t.match(ends.get("after"), { state: "skipped", reason: 'dep "fail" failed' });
  t.strictSame(log, ["slow start", "slow end"], "only slow's command ran to the end");
  t.match(list.find((e) => e.event === "summary"), { state: "failed" });
});

t.test("default policy without --parallel: the next named task is skipped", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { result, list, ends, log } = await runJson(dir, ["fail", "independent"]);
  exits(t, result, 1);
  checkEnds(t, list, ends, ["fail", "independent"]);
  t.match(ends.get("independent"), { state: "skipped", reason: /"fail"/ });
  t.strictSame(log, []);
});

t.test("-k: independent tasks still run, dependents of the failure are skipped", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { result, list, ends, log } = await runJson(dir, ["-k", "fail", "independent", "group"]);
  exits(t, result, 1);
  checkEnds(t, list, ends, ["fail", "independent", "after", "group"]);
  t.match(ends.get("fail"), { state: "failed", exitCode: 3 });
  t.match(ends.get("independent"), { state: "ok" });
  t.match(ends.get("after"), { state: "skipped", reason: 'dep "fail" failed' });
  t.match(ends.get("group"), { state: "skipped", reason: /dep "after"/ });
  t.strictSame(log, ["independent start", "independent end"]);
});

t.test("--keep-going with --parallel: the failure's dependents skipped, the rest ok", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { result, list, ends } = await runJson(dir, ["--keep-going", "--parallel", "-j1", "fail", "later", "after", "independent"]);
  exits(t, result, 1);
  checkEnds(t, list, ends, ["fail", "later", "after", "independent"]);
  t.match(ends.get("later"), { state: "ok" });
  t.match(ends.get("independent"), { state: "ok" });
  t.match(ends.get("after"), { state: "skipped", reason: 'dep "fail" failed' });
});

t.test("--fail-fast: a running sibling is cancelled at once, its processes stopped", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { result, list, ends, wall } = await runJson(dir, ["--fail-fast", "--parallel", "-j4", "fail", "sleeper", "chain"]);
  exits(t, result, 1);
  t.ok(wall < 5000, `finished in ${Math.round(wall)} ms, well under the sleeper's 10 s`);
  checkEnds(t, list, ends, ["fail", "sleeper", "slow", "chain"]);
  t.match(ends.get("fail"), { state: "failed", exitCode: 3 });
  t.match(ends.get("sleeper"), { state: "cancelled", reason: String });
  t.match(ends.get("slow"), { state: "cancelled" });
  t.match(ends.get("chain"), { state: "skipped", reason: /"slow"|"fail"/ });
  const pid = Number(readLog(join(dir, "sleeper.pid"))[0]);
  t.ok(pid > 0, "the sleeper recorded its shell's pid");
  t.throws(() => process.kill(pid, 0), { code: "ESRCH" }, "the sleeper's shell is gone");
});

t.test("--fail-fast: a cancelled task's reason does not claim it never started", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { ends } = await runJson(dir, ["--fail-fast", "--parallel", "-j4", "fail", "sleeper"]);
  t.match(ends.get("sleeper"), { state: "cancelled", reason: /"fail"/ });
  t.notMatch(ends.get("sleeper")?.reason, /not started/);
});

t.test("a run function that throws fails the task with its message; exit 1", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { result, list, ends } = await runJson(dir, ["throws"]);
  exits(t, result, 1);
  checkEnds(t, list, ends, ["throws"]);
  t.match(ends.get("throws"), { state: "failed", reason: /the thrown message/ });
});

t.test("exit codes: 0 when all ok, 2 for unknown task or bad usage (and nothing runs)", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const ok = await runJson(dir, ["independent"]);
  exits(t, ok.result, 0, "all ok");
  t.match(ok.list.at(-1), { event: "summary", state: "ok" });
  for (const args of [["nope", "independent"], ["--no-such-option", "independent"], ["--output", "fancy", "independent"], ["-k", "--fail-fast", "independent"]]) {
    const bad = await runMity(args, { cwd: dir });
    exits(t, bad, 2, args.join(" "));
    t.notOk(bad.stderr.includes("    at "), `${args.join(" ")}: no stack trace`);
  }
  t.strictSame(readLog(join(dir, "order.log")), ["independent start", "independent end"], "only the first run ran anything");
});
