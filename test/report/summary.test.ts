import t from "tap";
import type { ReporterOptions, Verbosity } from "../../lib/report/reporter.js";
import { Summary } from "../../lib/report/summary.js";
import type { MityEvent } from "../../lib/run/events.js";
import type { TaskState } from "../../lib/types.js";
import { createStyle } from "../../lib/util/style.js";

const counts = (partial: Partial<Record<TaskState, number>>): Record<TaskState, number> => ({
  ok: 0, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0, ...partial,
});

function summarize(events: MityEvent[], verbosity: Verbosity = "normal", color = false) {
  const out: string[] = [];
  const err: string[] = [];
  const options: ReporterOptions = { out: (text) => out.push(text), err: (text) => err.push(text), style: createStyle(color), verbosity, tasks: [] };
  const summary = new Summary(options);
  for (const event of events) summary.record(event);
  return { out: out.join(""), err: err.join(""), writes: err.length };
}

const FAILED_RUN: MityEvent[] = [
  { event: "output", task: "build", stream: "stdout", line: "compiled", time: 1 },
  { event: "output", task: "test", stream: "stdout", line: "FAIL a.test.ts", time: 2 },
  { event: "output", task: "test", stream: "stderr", line: "  expected 1, got 2", time: 3 },
  { event: "end", task: "build", state: "ok", duration: 840, exitCode: 0, time: 4 },
  { event: "end", task: "lint", state: "cancelled", duration: 300, reason: "stopped after a failure", time: 5 },
  { event: "end", task: "test", state: "failed", duration: 1200, exitCode: 1, reason: "exit code 1 from: node --test", time: 6 },
  { event: "end", task: "deploy", state: "skipped", duration: 0, reason: 'dep "test" failed', time: 7 },
  { event: "end", task: "docs", state: "up-to-date", duration: 0, time: 8 },
  { event: "summary", state: "failed", duration: 1500, counts: counts({ ok: 1, failed: 1, cancelled: 1, skipped: 1, "up-to-date": 1 }) },
];

t.test("a failed run: failed output again, every task not ok with its reason, counts, slowest", async (t) => {
  const { out, err, writes } = summarize(FAILED_RUN);
  t.equal(out, "");
  t.equal(writes, 1, "written at once");
  t.equal(
    err,
    [
      "",
      "── output of test (failed) ──",
      "FAIL a.test.ts",
      "  expected 1, got 2",
      "",
      "■ cancelled lint    stopped after a failure (300ms)",
      "✖ failed    test    exit code 1 from: node --test (1.20s)",
      '○ skipped   deploy  dep "test" failed',
      "✖ mity: failed · 1 ok, 1 failed, 1 cancelled, 1 skipped, 1 up-to-date · 1.50s",
      "  slowest: test 1.20s, build 840ms, lint 300ms",
      "",
    ].join("\n"),
  );
});

t.test("silent: the same, without the slowest line", async (t) => {
  const normal = summarize(FAILED_RUN).err.split("\n");
  const silent = summarize(FAILED_RUN, "silent").err.split("\n");
  t.ok(normal.some((line) => line.startsWith("  slowest:")), "the normal summary has a slowest line");
  t.strictSame(silent, normal.filter((line) => !line.startsWith("  slowest:")));
});

t.test("a successful run: one counts line, nothing when silent", async (t) => {
  const events: MityEvent[] = [
    { event: "end", task: "build", state: "ok", duration: 840, exitCode: 0, time: 1 },
    { event: "end", task: "docs", state: "up-to-date", duration: 0, time: 2 },
    { event: "summary", state: "ok", duration: 1000, counts: counts({ ok: 1, "up-to-date": 1 }) },
  ];
  t.equal(summarize(events).err, "\n✔ mity: ok · 1 ok, 1 up-to-date · 1.00s\n", "one task took time: no slowest line");
  t.equal(summarize(events, "silent").err, "");
  t.equal(summarize(events, "silent").writes, 0);
  t.equal(summarize([{ event: "summary", state: "ok", duration: 3, counts: counts({}) }]).err, "\n✔ mity: ok · nothing to do · 3ms\n");
});

t.test("a failed task without output says so; an interrupted run says so", async (t) => {
  const { err } = summarize([
    { event: "end", task: "a", state: "failed", duration: 5, exitCode: 2, reason: "exit code 2 from: false", time: 1 },
    { event: "summary", state: "interrupted", duration: 10, counts: counts({ failed: 1 }) },
  ]);
  t.equal(err, ["", "── output of a (failed) ──", "(no output)", "", "✖ failed    a  exit code 2 from: false (5ms)", "✖ mity: interrupted · 1 failed · 10ms", ""].join("\n"));
});

t.test("only the most recent megabyte of a task's output is kept", async (t) => {
  const big = "x".repeat(600_000);
  const { err } = summarize([
    { event: "output", task: "a", stream: "stdout", line: `first ${big}`, time: 1 },
    { event: "output", task: "a", stream: "stdout", line: `second ${big}`, time: 2 },
    { event: "output", task: "a", stream: "stdout", line: "last", time: 3 },
    { event: "end", task: "a", state: "failed", duration: 5, exitCode: 1, reason: "r", time: 4 },
    { event: "summary", state: "failed", duration: 10, counts: counts({ failed: 1 }) },
  ]);
  const lines = err.split("\n");
  t.equal(lines[2], "… 1 earlier lines not kept");
  t.equal(lines[3], `second ${big}`);
  t.equal(lines[4], "last");
  t.notOk(err.includes("first"));
});

t.test("a single line bigger than the limit is still shown", async (t) => {
  const huge = "y".repeat(2_000_000);
  const { err } = summarize([
    { event: "output", task: "a", stream: "stdout", line: huge, time: 1 },
    { event: "end", task: "a", state: "failed", duration: 5, reason: "r", time: 4 },
    { event: "summary", state: "failed", duration: 10, counts: counts({ failed: 1 }) },
  ]);
  t.equal(err.split("\n")[2], huge);
});

t.test("colours mark the states when on", async (t) => {
  const { err } = summarize(FAILED_RUN, "normal", true);
  t.ok(err.includes("\u001b[31m\u001b[1m── output of test (failed) ──\u001b[22m\u001b[39m"));
  t.ok(err.includes("\u001b[31m✖ failed   \u001b[39m test"));
  t.ok(err.includes("\u001b[33m■ cancelled\u001b[39m lint"));
  t.ok(err.includes("\u001b[90m○ skipped  \u001b[39m deploy"));
  t.ok(err.includes("\u001b[31m✖ mity: failed\u001b[39m · "));
});

t.test("keeping a long task's tail costs the same per line however many lines came before", async (t) => {
  // Short lines, as `seq` prints: the kept megabyte holds 130,000 of them, which Array.shift copied for every new line.
  const record = (lines: number) => {
    const summary = new Summary({ out: () => {}, err: () => {}, style: createStyle(false), verbosity: "normal", tasks: [] });
    const started = performance.now();
    for (let i = 0; i < lines; i++) summary.record({ event: "output", task: "seq", stream: "stdout", line: String(1_000_000 + i), time: 0 });
    return performance.now() - started;
  };
  const best = (lines: number) => Math.min(record(lines), record(lines), record(lines));
  const small = best(300_000);
  const large = best(1_200_000);
  // Linear is 4x (with noise); keeping by shift made it hundreds of times.
  t.ok(large / small < 12, `4x the lines took ${(large / small).toFixed(1)}x the time (${small.toFixed(0)} ms, ${large.toFixed(0)} ms)`);
});

t.test("a task's tail is shown for a failure that comes after thousands of tasks ended well", async (t) => {
  const events: MityEvent[] = [];
  for (let i = 0; i < 2000; i++) {
    events.push({ event: "output", task: `ok${i}`, stream: "stdout", line: `fine ${i}`, time: 1 });
    events.push({ event: "end", task: `ok${i}`, state: "ok", duration: 1, time: 2 });
  }
  events.push({ event: "output", task: "bad", stream: "stderr", line: "broken", time: 3 });
  events.push({ event: "end", task: "bad", state: "failed", duration: 5, reason: "exit code 1 from: false", time: 4 });
  events.push({ event: "summary", state: "failed", duration: 10, counts: counts({ ok: 2000, failed: 1 }) });
  const { err } = summarize(events);
  t.match(err, /── output of bad \(failed\) ──\nbroken\n/);
  t.notMatch(err, /fine/);
});

t.test("a restarted task counts by its last end: once among the slowest, and not cancelled once it went well", async (t) => {
  const { err } = summarize([
    { event: "end", task: "serve", state: "cancelled", duration: 900, reason: "restarted: src/a.ts changed", time: 1 },
    { event: "end", task: "build", state: "ok", duration: 500, time: 2 },
    { event: "end", task: "serve", state: "ok", duration: 700, time: 3 },
    { event: "end", task: "lint", state: "ok", duration: 100, time: 4 },
    { event: "end", task: "docs", state: "ok", duration: 600, time: 5 },
    { event: "summary", state: "ok", duration: 1000, counts: counts({ ok: 4 }) },
  ]);
  t.match(err, "slowest: serve 700ms, docs 600ms, build 500ms");
  t.notMatch(err, "cancelled");
});

t.test("the slowest of many: ties keep the order they ended in, and only three are kept", async (t) => {
  const ends: MityEvent[] = Array.from({ length: 1000 }, (_, i) => ({ event: "end", task: `t${i}`, state: "ok", duration: i % 10, time: i }));
  const { err } = summarize([...ends, { event: "summary", state: "ok", duration: 1000, counts: counts({ ok: 1000 }) }]);
  t.match(err, "slowest: t9 9ms, t19 9ms, t29 9ms");
});
