import t from "tap";
import { rawReporter } from "../../lib/report/raw.js";
import type { Verbosity } from "../../lib/report/reporter.js";
import type { MityEvent } from "../../lib/run/events.js";
import { createStyle } from "../../lib/util/style.js";

const chunk = (stream: "stdout" | "stderr", text: string, time: number): MityEvent => ({ event: "chunk", task: "build", stream, data: Buffer.from(text), time });

const RUN: MityEvent[] = [
  { event: "start", task: "build", time: 0 },
  { event: "command", task: "build", command: "tsc -p .", time: 1 },
  chunk("stdout", "\u001b[32mcompiled\u001b[39m 3 files\n", 2),
  { event: "output", task: "build", stream: "stdout", line: "\u001b[32mcompiled\u001b[39m 3 files", time: 2 },
  chunk("stderr", "warning: slow\n", 3),
  { event: "output", task: "build", stream: "stderr", line: "warning: slow", time: 3 },
  chunk("stdout", "\n", 4),
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

t.test("bytes go on as they came: CR LF, long lines, no last newline, bytes that are not text", async (t) => {
  const binary = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x00]);
  const long = Buffer.alloc(200 * 1024, "x");
  const written: [string, Buffer][] = [];
  const reporter = rawReporter({
    out: () => t.fail("no text for bytes"), err: () => {}, style: createStyle(false), verbosity: "normal", tasks: ["tar"],
    bytes: (stream, data) => written.push([stream, Buffer.from(data)]),
  });
  for (const data of [Buffer.from("a\r\nb"), binary, long, Buffer.from("end without newline")]) {
    reporter({ event: "chunk", task: "tar", stream: "stdout", data, time: 1 });
    reporter({ event: "output", task: "tar", stream: "stdout", line: "a line made of it", time: 1 });
  }
  t.strictSame(written.map(([stream]) => stream), ["stdout", "stdout", "stdout", "stdout"], "one write per chunk, no line added");
  t.ok(Buffer.concat(written.map(([, data]) => data)).equals(Buffer.concat([Buffer.from("a\r\nb"), binary, long, Buffer.from("end without newline")])), "the same bytes");
});

t.test("without a way to write bytes, text: a character cut between two chunks comes out whole", async (t) => {
  const out: string[] = [];
  const reporter = rawReporter({ out: (text) => out.push(text), err: () => {}, style: createStyle(false), verbosity: "normal", tasks: ["a"] });
  const check = Buffer.from("✓ done\n");
  reporter({ event: "chunk", task: "a", stream: "stdout", data: check.subarray(0, 2), time: 1 });
  reporter({ event: "chunk", task: "a", stream: "stdout", data: check.subarray(2), time: 2 });
  t.equal(out.join(""), "✓ done\n");
});

t.test("tasks side by side: an unfinished line waits for its newline, so another task's line never cuts it", async (t) => {
  const written: string[] = [];
  const reporter = rawReporter({ out: () => {}, err: () => {}, style: createStyle(false), verbosity: "normal", tasks: ["a", "b"], bytes: (_, data) => written.push(Buffer.from(data).toString()) });
  const send = (task: string, text: string) => reporter({ event: "chunk", task, stream: "stdout", data: Buffer.from(text), time: 1 });
  reporter({ event: "start", task: "a", time: 0 });
  reporter({ event: "start", task: "b", time: 0 });
  send("a", "a1\npart");
  send("b", "b1\n");
  send("a", "ial\n");
  send("b", "no newline at the end");
  reporter({ event: "end", task: "b", state: "ok", duration: 1, time: 2 });
  send("a", "alone: at once");
  t.strictSame(written, ["a1\n", "b1\n", "partial\n", "no newline at the end", "alone: at once"]);
});
