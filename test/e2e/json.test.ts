import t from "tap";
import { exits, type Json, type Test } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

const mityfile = `export default { tasks: {
  out: { run: "echo hello; echo oops >&2; echo bye" },
  fn: { run: async ({ sh, log }) => { log("from log"); await sh\`echo from sh\`; } },
  group: { deps: ["out", "fn"] },
  bad: { run: "echo failing; exit 2" },
  after: { deps: ["bad"], run: "echo never" },
  sleeper: { run: "sleep 10" },
} };
`;

const STATES = ["ok", "failed", "cancelled", "skipped", "up-to-date"];
const isTime = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** Parses every stdout line and checks each event against SPEC §4; returns the events. */
function checkSchema(t: Test, stdout: string): Json[] {
  const lines = stdout.split("\n");
  t.equal(lines.pop(), "", "stdout ends with a newline");
  const list: Json[] = [];
  for (const line of lines) {
    let event: Json;
    try {
      event = JSON.parse(line) as Json;
    } catch {
      t.fail(`not JSON: ${line}`);
      continue;
    }
    list.push(event);
    const keys = Object.keys(event).sort();
    switch (event.event) {
      case "start":
        t.strictSame(keys, ["event", "task", "time"], `start of ${String(event.task)}: fields`);
        t.ok(typeof event.task === "string" && isTime(event.time), "start: types");
        break;
      case "output":
        t.strictSame(keys, ["event", "line", "stream", "task", "time"], "output: fields");
        t.ok(typeof event.task === "string" && typeof event.line === "string" && isTime(event.time), "output: types");
        t.ok(event.stream === "stdout" || event.stream === "stderr", "output: stream");
        break;
      case "end": {
        const allowed = ["duration", "event", "exitCode", "reason", "state", "task", "time"];
        t.strictSame(keys.filter((key) => !allowed.includes(key)), [], `end of ${String(event.task)}: no other fields`);
        for (const key of ["duration", "event", "state", "task", "time"]) t.ok(key in event, `end of ${String(event.task)}: has ${key}`);
        t.ok(STATES.includes(String(event.state)), "end: a known state");
        t.ok(isTime(event.duration) && isTime(event.time), "end: duration and time are numbers");
        if ("exitCode" in event) t.ok(Number.isInteger(event.exitCode), "end: exitCode is an integer");
        if (event.state === "ok") t.notOk("reason" in event, "an ok task has no reason");
        else t.ok(typeof event.reason === "string" && event.reason !== "", `a ${String(event.state)} task has a reason`);
        break;
      }
      case "summary":
        t.strictSame(keys, ["counts", "duration", "event", "state"], "summary: fields");
        t.ok(isTime(event.duration), "summary: duration");
        t.strictSame(Object.keys(event.counts as object).sort(), [...STATES].sort(), "summary: a count per state");
        break;
      default:
        t.fail(`an event not in SPEC §4: ${line}`);
    }
  }
  return list;
}

/** Cross-checks the events: ends, starts, times, and the summary. */
function checkRun(t: Test, list: Json[], selected: string[]) {
  const ends = list.filter((e) => e.event === "end");
  t.strictSame(ends.map((e) => e.task).sort(), [...selected].sort(), "exactly one end per selected task");
  const summary = list.at(-1)!;
  t.equal(summary.event, "summary", "the summary comes last");
  t.equal(list.filter((e) => e.event === "summary").length, 1, "one summary");
  const counts = Object.fromEntries(STATES.map((state) => [state, ends.filter((e) => e.state === state).length]));
  t.strictSame(summary.counts, counts, "summary counts match the ends");
  const times = list.filter((e) => e.event !== "summary").map((e) => Number(e.time));
  t.strictSame(times, [...times].sort((a, b) => a - b), "times never go back");
  t.ok(Number(summary.duration) >= Math.max(...times), "the run lasts at least until its last event");
  for (const end of ends) {
    const starts = list.filter((e) => e.event === "start" && e.task === end.task);
    const outputs = list.filter((e) => e.event === "output" && e.task === end.task);
    if (end.state === "skipped") {
      t.equal(starts.length, 0, `skipped ${String(end.task)} never started`);
      t.equal(outputs.length, 0, `skipped ${String(end.task)} printed nothing`);
      continue;
    }
    if (starts.length === 0) continue;
    t.equal(starts.length, 1, `${String(end.task)} started once`);
    const start = starts[0]!;
    t.ok(list.indexOf(start) < list.indexOf(end), `${String(end.task)}: start before end`);
    for (const output of outputs) t.ok(list.indexOf(start) < list.indexOf(output) && list.indexOf(output) < list.indexOf(end), "output between start and end");
    const gap = Math.abs(Number(end.time) - Number(end.duration) - Number(start.time));
    t.ok(gap <= 5, `${String(end.task)}: duration is end time minus start time (off by ${gap} ms)`);
  }
}

t.test("ok, failed and skipped tasks: every line is an event of SPEC §4", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "-k", "group", "after"], { cwd: dir });
  exits(t, result, 1);
  const list = checkSchema(t, result.stdout);
  checkRun(t, list, ["out", "fn", "group", "bad", "after"]);
  const end = (task: string) => list.find((e) => e.event === "end" && e.task === task);
  t.match(end("out"), { state: "ok", exitCode: 0 }, "a command task's end has its exit code");
  t.match(end("bad"), { state: "failed", exitCode: 2 });
  t.match(end("after"), { state: "skipped", reason: 'dep "bad" failed' });
  t.match(end("group"), { state: "ok" });
  const lines = (task: string) => list.filter((e) => e.event === "output" && e.task === task).map((e) => `${String(e.stream)}:${String(e.line)}`);
  t.strictSame(lines("out").filter((l) => l.startsWith("stdout")), ["stdout:hello", "stdout:bye"], "stdout lines in order");
  t.strictSame(lines("out").filter((l) => l.startsWith("stderr")), ["stderr:oops"], "stderr is attributed to the task");
  t.strictSame(lines("fn"), ["stdout:from log", "stdout:from sh"]);
  t.match(list.at(-1), { event: "summary", state: "failed" });
});

t.test("a cancelled task has its end too, and an all-ok run says ok", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const cancelled = await runMity(["--output", "json", "--fail-fast", "--parallel", "-j4", "sleeper", "bad"], { cwd: dir });
  exits(t, cancelled, 1, "fail-fast");
  const list = checkSchema(t, cancelled.stdout);
  checkRun(t, list, ["sleeper", "bad"]);
  t.match(list.find((e) => e.event === "end" && e.task === "sleeper"), { state: "cancelled" });

  const ok = await runMity(["--output", "json", "group"], { cwd: dir });
  exits(t, ok, 0, "all ok");
  const okList = checkSchema(t, ok.stdout);
  checkRun(t, okList, ["out", "fn", "group"]);
  t.match(okList.at(-1), { event: "summary", state: "ok", counts: { ok: 3, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0 } });
});
