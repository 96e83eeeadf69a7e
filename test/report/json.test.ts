import t from "tap";
import { jsonReporter } from "../../lib/report/json.js";
import type { Verbosity } from "../../lib/report/reporter.js";
import type { MityEvent } from "../../lib/run/events.js";
import { createStyle } from "../../lib/util/style.js";

const EVENTS: MityEvent[] = [
  { event: "start", task: "build", time: 12 },
  { event: "command", task: "build", command: "tsc -p .", time: 13 },
  { event: "output", task: "build", stream: "stdout", line: "compiled 3 files", time: 30 },
  { event: "output", task: "build", stream: "stderr", line: 'warning: "quoted" \\ ✓', time: 31 },
  { event: "end", task: "build", state: "ok", duration: 840, exitCode: 0, time: 852 },
  { event: "end", task: "deploy", state: "skipped", duration: 0, reason: 'dep "build" failed', time: 853 },
  { event: "summary", state: "ok", duration: 900, counts: { ok: 3, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 1 } },
];

function report(verbosity: Verbosity) {
  const out: string[] = [];
  const err: string[] = [];
  const reporter = jsonReporter({ out: (text) => out.push(text), err: (text) => err.push(text), style: createStyle(true), verbosity, tasks: ["build"] });
  for (const event of EVENTS) reporter(event);
  return { out: out.join(""), err: err.join(""), writes: out.length };
}

t.test("one JSON object per line per event, on out only; commands left out", async (t) => {
  for (const verbosity of ["normal", "silent"] as const) {
    const { out, err, writes } = report(verbosity);
    t.equal(err, "", `${verbosity}: nothing on err`);
    const lines = out.split("\n");
    t.equal(lines.pop(), "", "ends with a newline");
    t.equal(writes, lines.length, "one write per event");
    t.strictSame(lines.map((line) => JSON.parse(line) as unknown), EVENTS.filter((event) => event.event !== "command"), verbosity);
  }
});

t.test("the lines are exactly the ones the contract shows, without colour", async (t) => {
  const lines = report("normal").out.split("\n");
  t.equal(lines[0], '{"event":"start","task":"build","time":12}');
  t.equal(lines[1], '{"event":"output","task":"build","stream":"stdout","line":"compiled 3 files","time":30}');
  t.equal(lines[2], '{"event":"output","task":"build","stream":"stderr","line":"warning: \\"quoted\\" \\\\ ✓","time":31}');
  t.equal(lines[3], '{"event":"end","task":"build","state":"ok","duration":840,"exitCode":0,"time":852}');
  t.equal(lines[4], '{"event":"end","task":"deploy","state":"skipped","duration":0,"reason":"dep \\"build\\" failed","time":853}');
  t.equal(lines[5], '{"event":"summary","state":"ok","duration":900,"counts":{"ok":3,"failed":0,"cancelled":0,"skipped":0,"up-to-date":1}}');
});

t.test("commands are reported when verbose", async (t) => {
  const lines = report("verbose").out.trimEnd().split("\n");
  t.equal(lines.length, EVENTS.length);
  t.equal(lines[1], '{"event":"command","task":"build","command":"tsc -p .","time":13}');
});

t.test("a line of output with a newline-like character stays one JSON line", async (t) => {
  const out: string[] = [];
  const reporter = jsonReporter({ out: (text) => out.push(text), err: () => {}, style: createStyle(false), verbosity: "normal", tasks: [] });
  reporter({ event: "output", task: "x", stream: "stdout", line: "a\rb\u2028c", time: 1 });
  t.equal(out.join("").split("\n").length, 2);
  t.equal((JSON.parse(out.join("")) as { line: string }).line, "a\rb\u2028c");
});
