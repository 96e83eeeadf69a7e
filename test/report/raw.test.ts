import t from "tap";
import { rawReporter } from "../../lib/report/raw.js";
import type { Verbosity } from "../../lib/report/reporter.js";
import type { MityEvent } from "../../lib/run/events.js";
import { createStyle } from "../../lib/util/style.js";

const RUN: MityEvent[] = [
  { event: "start", task: "build", time: 0 },
  { event: "command", task: "build", command: "tsc -p .", time: 1 },
  { event: "output", task: "build", stream: "stdout", line: "\u001b[32mcompiled\u001b[39m 3 files", time: 2 },
  { event: "output", task: "build", stream: "stderr", line: "warning: slow", time: 3 },
  { event: "output", task: "build", stream: "stdout", line: "", time: 4 },
  { event: "end", task: "build", state: "failed", duration: 840, exitCode: 2, reason: "exit code 2 from: tsc -p .", time: 5 },
  { event: "summary", state: "failed", duration: 900, counts: { ok: 0, failed: 1, cancelled: 0, skipped: 0, "up-to-date": 0 } },
];

const SUMMARY = [
  "",
  "── output of build (failed) ──",
  "\u001b[32mcompiled\u001b[39m 3 files",
  "warning: slow",
  "",
  "",
  "✖ failed    build  exit code 2 from: tsc -p . (840ms)",
  "✖ mity: failed · 1 failed · 900ms",
  "",
].join("\n");

function report(verbosity: Verbosity) {
  const writes: ["out" | "err", string][] = [];
  const reporter = rawReporter({ out: (text) => writes.push(["out", text]), err: (text) => writes.push(["err", text]), style: createStyle(false), verbosity, tasks: ["build"] });
  for (const event of RUN) reporter(event);
  return writes;
}

t.test("output passes through untouched, each stream to its own", async (t) => {
  t.strictSame(report("normal"), [
    ["out", "\u001b[32mcompiled\u001b[39m 3 files\n"],
    ["err", "warning: slow\n"],
    ["out", "\n"],
    ["err", SUMMARY],
  ]);
});

t.test("verbose shows commands on err", async (t) => {
  t.strictSame(report("verbose").slice(0, 2), [
    ["err", "$ tsc -p .\n"],
    ["out", "\u001b[32mcompiled\u001b[39m 3 files\n"],
  ]);
});

t.test("silent prints only the summary", async (t) => {
  t.strictSame(report("silent"), [["err", SUMMARY]]);
});
