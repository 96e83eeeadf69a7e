import t from "tap";
import { prefixReporter } from "../../lib/report/prefix.js";
import type { Verbosity } from "../../lib/report/reporter.js";
import type { MityEvent } from "../../lib/run/events.js";
import { createStyle } from "../../lib/util/style.js";

const RUN: MityEvent[] = [
  { event: "start", task: "build", time: 0 },
  { event: "command", task: "build", command: "tsc -p .", time: 1 },
  { event: "output", task: "build", stream: "stdout", line: "compiled 3 files", time: 2 },
  { event: "output", task: "build", stream: "stderr", line: "warning: slow", time: 3 },
  { event: "start", task: "test", time: 4 },
  { event: "output", task: "test", stream: "stdout", line: "FAIL a.test.ts", time: 5 },
  { event: "end", task: "build", state: "ok", duration: 840, exitCode: 0, time: 6 },
  { event: "end", task: "test", state: "failed", duration: 1200, exitCode: 1, reason: "exit code 1 from: node --test", time: 7 },
  { event: "end", task: "lint", state: "cancelled", duration: 300, reason: "stopped", time: 8 },
  { event: "end", task: "deploy", state: "skipped", duration: 0, reason: 'dep "test" failed', time: 9 },
  { event: "summary", state: "failed", duration: 1500, counts: { ok: 1, failed: 1, cancelled: 1, skipped: 1, "up-to-date": 0 } },
];

const SUMMARY = [
  "",
  "── output of test (failed) ──",
  "FAIL a.test.ts",
  "",
  "✖ failed    test    exit code 1 from: node --test (1.20s)",
  "■ cancelled lint    stopped (300ms)",
  '○ skipped   deploy  dep "test" failed',
  "✖ mity: failed · 1 ok, 1 failed, 1 cancelled, 1 skipped · 1.50s",
];

/** Runs the events through a prefix reporter and returns what went where, in order. */
function report(events: MityEvent[], verbosity: Verbosity, tasks = ["build", "test", "lint", "deploy"], color = false) {
  const writes: ["out" | "err", string][] = [];
  const reporter = prefixReporter({
    out: (text) => writes.push(["out", text]),
    err: (text) => writes.push(["err", text]),
    style: createStyle(color),
    verbosity,
    tasks,
  });
  for (const event of events) reporter(event);
  return {
    writes,
    out: writes.filter(([to]) => to === "out").map(([, text]) => text).join(""),
    err: writes.filter(([to]) => to === "err").map(([, text]) => text).join(""),
  };
}

t.test("every line as [task] line, aligned, with a start and an end line per task", async (t) => {
  const { out, err, writes } = report(RUN, "normal");
  t.equal(
    out,
    [
      "[build]  started",
      "[build]  compiled 3 files",
      "[test]   started",
      "[test]   FAIL a.test.ts",
      "[build]  ok (840ms)",
      "[test]   failed: exit code 1 from: node --test (1.20s)",
      "[lint]   cancelled: stopped (300ms)",
      "",
    ].join("\n"),
  );
  t.equal(err, ["[build]  warning: slow", ...SUMMARY, "  slowest: test 1.20s, build 840ms, lint 300ms", ""].join("\n"));
  t.strictSame(writes[2], ["err", "[build]  warning: slow\n"], "stderr lines go to err, in their place");
  t.ok(writes.every(([, text]) => text.endsWith("\n")), "every write is whole lines");
});

t.test("verbose also shows each command as it starts", async (t) => {
  const { out } = report(RUN, "verbose");
  t.equal(out.split("\n").slice(0, 3).join("\n"), ["[build]  started", "[build]  $ tsc -p .", "[build]  compiled 3 files"].join("\n"));
});

t.test("silent prints only the failure summary", async (t) => {
  const { out, err } = report(RUN, "silent");
  t.equal(out, "");
  t.equal(err, [...SUMMARY, ""].join("\n"));
});

t.test("silent and all ok prints nothing at all", async (t) => {
  const { writes } = report(
    [
      { event: "start", task: "build", time: 0 },
      { event: "output", task: "build", stream: "stdout", line: "compiled", time: 1 },
      { event: "end", task: "build", state: "ok", duration: 5, exitCode: 0, time: 2 },
      { event: "summary", state: "ok", duration: 6, counts: { ok: 1, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0 } },
    ],
    "silent",
  );
  t.strictSame(writes, []);
});

t.test("prefixes are padded to the longest task name, at most 24", async (t) => {
  const long = "a-very-long-task-name-that-goes-on";
  const { out } = report(
    [
      { event: "output", task: "x", stream: "stdout", line: "short", time: 0 },
      { event: "output", task: long, stream: "stdout", line: "long", time: 1 },
    ],
    "normal",
    ["x", long],
  );
  t.equal(out, `[x]${" ".repeat(23)} short\n[${long}] long\n`);
});

t.test("with colour, each task's tag gets its own colour and states are marked", async (t) => {
  const { out } = report(RUN, "normal", ["build", "test"], true);
  const lines = out.split("\n");
  t.equal(lines[0], "\u001b[36m[build]\u001b[39m \u001b[2mstarted\u001b[22m");
  t.equal(lines[2], "\u001b[35m[test]\u001b[39m  \u001b[2mstarted\u001b[22m");
  t.equal(lines[4], "\u001b[36m[build]\u001b[39m \u001b[32mok\u001b[39m \u001b[2m(840ms)\u001b[22m");
  t.equal(lines[5], "\u001b[35m[test]\u001b[39m  \u001b[31mfailed\u001b[39m: exit code 1 from: node --test \u001b[2m(1.20s)\u001b[22m");
});

t.test("a task run again says which attempt its lines belong to", async (t) => {
  const events: MityEvent[] = [
    { event: "start", task: "build", time: 0, attempt: 1 },
    { event: "output", task: "build", stream: "stdout", line: "flaky", time: 1 },
    { event: "start", task: "build", time: 2, attempt: 2 },
    { event: "end", task: "build", state: "ok", duration: 5, attempt: 2, time: 3 },
  ];
  const { out } = report(events, "normal", ["build"]);
  t.equal(out, ["[build] started", "[build] flaky", "[build] started (attempt 2)", "[build] ok (5ms)", ""].join("\n"));
});
