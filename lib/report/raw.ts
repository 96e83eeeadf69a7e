import { StringDecoder } from "node:string_decoder";
import { byKind, ignore, type Reporter, type ReporterOptions } from "./reporter.js";
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
  const bytes = new HeldBytes(options, () => running.size > 1);
  const handle = byKind({
    start: (event) => void running.add(event.task),
    command: (event) => {
      if (options.verbosity === "verbose") options.err(`$ ${event.command}\n`);
    },
    // The same output comes as `chunk` bytes, which this reporter prints as they are.
    output: ignore,
    chunk: (event) => {
      if (options.verbosity !== "silent") bytes.chunk(event.task, event.stream, event.data);
    },
    end: (event) => {
      running.delete(event.task);
      bytes.release(`${event.task}\0stdout`);
      bytes.release(`${event.task}\0stderr`);
    },
    // The tasks' bytes stay untouched on stdout: what mity itself says goes to stderr.
    ready: (event) => {
      if (options.verbosity !== "silent") options.err(`mity: ${event.task} ${describeReady(event)}\n`);
    },
    change: (event) => {
      if (options.verbosity !== "silent") options.err(`mity: ${describeChange(event)}\n`);
    },
    // The summary prints it.
    summary: ignore,
  });
  return (event) => {
    summary.record(event);
    handle(event);
  };
}

/** Each task's stream written as it comes, its unfinished last line held back while `sideBySide()`. */
class HeldBytes {
  #held = new Map<string, { stream: Stream; data: Buffer }>();
  #decoders = new Map<string, StringDecoder>();

  constructor(
    private readonly options: ReporterOptions,
    private readonly sideBySide: () => boolean,
  ) {}

  chunk(task: string, stream: Stream, data: Uint8Array): void {
    const key = `${task}\0${stream}`;
    const earlier = this.#held.get(key)?.data;
    const all = earlier ? Buffer.concat([earlier, data]) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const end = all.lastIndexOf(0x0a) + 1;
    if (!this.sideBySide() || all.length - end > MAX_HELD) {
      this.#held.delete(key);
      return this.#write(stream, key, all);
    }
    if (end > 0) this.#write(stream, key, all.subarray(0, end));
    if (end < all.length) this.#held.set(key, { stream, data: all.subarray(end) });
    else this.#held.delete(key);
  }

  /** Writes what is held of a stream (its task ended). */
  release(key: string): void {
    const rest = this.#held.get(key);
    if (rest) this.#write(rest.stream, key, rest.data);
    this.#held.delete(key);
  }

  #write(stream: Stream, key: string, data: Uint8Array): void {
    if (this.options.bytes) return this.options.bytes(stream, data);
    // Without a way to write bytes, text: each task's stream has its own decoder, so a character cut between chunks stays whole.
    let decoder = this.#decoders.get(key);
    if (!decoder) this.#decoders.set(key, (decoder = new StringDecoder("utf8")));
    (stream === "stderr" ? this.options.err : this.options.out)(decoder.write(data as Buffer));
  }
}
