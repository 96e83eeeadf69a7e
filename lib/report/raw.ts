import { StringDecoder } from "node:string_decoder";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { Summary } from "./summary.js";
import { describeChange, describeReady } from "./watch-lines.js";

type Stream = "stdout" | "stderr";

/** Longest unfinished line held back for another task's sake. */
const MAX_HELD = 64 * 1024;

/**
 * Task output byte for byte as it came (the `chunk` events: line endings, long lines, a missing last
 * newline and bytes that are not text all kept), each stream to its own, then the summary. While tasks
 * run side by side, each one's unfinished last line is held until its newline (or the task's end), so
 * no line is cut by another task's output; alone, a task's bytes go out at once (progress bars too).
 */
export function rawReporter(options: ReporterOptions): Reporter {
  const summary = new Summary(options);
  const running = new Set<string>();
  const held = new Map<string, { stream: Stream; data: Buffer }>();
  const decoders = new Map<string, StringDecoder>();
  const write = (stream: Stream, key: string, data: Uint8Array) => {
    if (options.bytes) return options.bytes(stream, data);
    // Without a way to write bytes, text: each task's stream has its own decoder, so a character cut between chunks stays whole.
    let decoder = decoders.get(key);
    if (!decoder) decoders.set(key, (decoder = new StringDecoder("utf8")));
    (stream === "stderr" ? options.err : options.out)(decoder.write(data as Buffer));
  };
  const release = (key: string) => {
    const rest = held.get(key);
    if (rest) write(rest.stream, key, rest.data);
    held.delete(key);
  };
  const chunk = (task: string, stream: Stream, data: Uint8Array) => {
    const key = `${task}\0${stream}`;
    const earlier = held.get(key)?.data;
    const all = earlier ? Buffer.concat([earlier, data]) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (running.size <= 1) {
      held.delete(key);
      return write(stream, key, all);
    }
    const end = all.lastIndexOf(0x0a) + 1;
    if (all.length - end > MAX_HELD) {
      held.delete(key);
      return write(stream, key, all);
    }
    if (end > 0) write(stream, key, all.subarray(0, end));
    if (end < all.length) held.set(key, { stream, data: all.subarray(end) });
    else held.delete(key);
  };
  return (event) => {
    summary.record(event);
    if (event.event === "start") running.add(event.task);
    else if (event.event === "end") {
      running.delete(event.task);
      release(`${event.task}\0stdout`);
      release(`${event.task}\0stderr`);
    } else if (event.event === "chunk" && options.verbosity !== "silent") chunk(event.task, event.stream, event.data);
    else if (event.event === "command" && options.verbosity === "verbose") options.err(`$ ${event.command}\n`);
    // The tasks' bytes stay untouched on stdout: what mity itself says goes to stderr.
    else if (event.event === "change" && options.verbosity !== "silent") options.err(`mity: ${describeChange(event)}\n`);
    else if (event.event === "ready" && options.verbosity !== "silent") options.err(`mity: ${event.task} ${describeReady(event)}\n`);
  };
}
