import t from "tap";
import { OPTIONS } from "../../lib/cli/options.js";
import { createReporter, OUTPUT_MODES, REPORTERS, resolveMode, type ReporterMode } from "../../lib/report/choose.js";
import type { MityEvent } from "../../lib/run/events.js";
import { createStyle } from "../../lib/util/style.js";

/** One event of every kind, a failed task among them. */
const EVERY_KIND: MityEvent[] = [
  { event: "start", task: "build", time: 0 },
  { event: "command", task: "build", command: "tsc -p .", time: 1 },
  { event: "chunk", task: "build", stream: "stdout", data: Buffer.from("compiled\n"), time: 2 },
  { event: "output", task: "build", stream: "stdout", line: "compiled", time: 2 },
  { event: "end", task: "build", state: "failed", duration: 40, exitCode: 1, reason: "exit code 1", time: 3 },
  { event: "summary", state: "failed", duration: 50, counts: { ok: 0, failed: 1, cancelled: 0, skipped: 0, "up-to-date": 0 } },
];

t.test("the command line offers every mode of the table, and auto", async (t) => {
  t.strictSame(OUTPUT_MODES, ["auto", ...Object.keys(REPORTERS)]);
  t.strictSame(OPTIONS.output.choices, OUTPUT_MODES);
});

t.test("every mode but the live view makes a reporter that takes every kind of event", async (t) => {
  // The live view draws on this process's terminal: the e2e tests run it in a real one.
  const modes = (Object.keys(REPORTERS) as ReporterMode[]).filter((mode) => !REPORTERS[mode].live);
  t.strictSame(modes, ["prefix", "grouped", "raw", "json"]);
  for (const mode of modes) {
    let out = "";
    let err = "";
    const reporter = await createReporter(mode, {
      style: createStyle(false),
      verbosity: "verbose",
      tasks: ["build"],
      out: (text) => void (out += text),
      err: (text) => void (err += text),
    });
    for (const event of EVERY_KIND) reporter(event);
    await reporter.close?.();
    t.match(out + err, "compiled", `${mode}: the task's output is shown`);
    if (REPORTERS[mode].machine) t.equal(err, "", `${mode}: nothing beside its own lines`);
    else t.match(err, "✖ mity: failed", `${mode}: the summary is printed`);
  }
});

t.test("auto and the live view fall back to prefixed lines without a terminal", async (t) => {
  const terminal = { isTTY: true, columns: 80 };
  t.equal(resolveMode("auto", terminal, {}), "tty");
  t.equal(resolveMode("auto", terminal, { CI: "true" }), "prefix");
  t.equal(resolveMode("auto", { isTTY: false }, {}), "prefix");
  t.equal(resolveMode("tty", { isTTY: true }, {}), "prefix", "a terminal of no known width");
  t.equal(resolveMode("tty", terminal, { TERM: "dumb" }), "prefix");
  for (const mode of Object.keys(REPORTERS) as ReporterMode[]) {
    t.equal(resolveMode(mode, terminal, {}), mode, `${mode} on a terminal`);
    t.equal(resolveMode(mode, {}, {}), REPORTERS[mode].live ? "prefix" : mode, `${mode} without one`);
  }
});
