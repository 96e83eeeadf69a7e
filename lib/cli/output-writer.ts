import type { OutputFlow } from "../run/flow.js";

/** The part of a stream (stdout, stderr) a writer uses; `on` and `once` where it is a real stream. */
export interface OutputStream {
  write(data: string | Uint8Array): unknown;
  on?(event: "error", listener: (error: Error) => void): unknown;
  once?(event: "drain", listener: () => void): unknown;
}

/**
 * Hands what reporters write to a stream, gathered once per turn of the event loop (thousands of tiny
 * writes cost more), or at once when `direct`. While the stream's buffer is full (a slow reader) it
 * holds `flow`, so tasks wait instead of their output piling up here. A stream that fails (a full disk,
 * a closed pipe) is told to `onFailed` once; what comes after is dropped.
 */
export class OutputWriter {
  #parts: (string | Uint8Array)[] = [];
  #size = 0;
  #scheduled = false;
  #failed = false;
  #draining = false;

  constructor(
    private readonly stream: OutputStream,
    private readonly options: { name: string; flow?: OutputFlow | undefined; direct?: boolean; onFailed: (error: NodeJS.ErrnoException) => void },
  ) {
    stream.on?.("error", (error) => this.#fail(error));
  }

  write = (data: string | Uint8Array): void => {
    if (this.#failed) return;
    if (this.options.direct) return this.#send(data);
    this.#parts.push(data);
    this.#size += data.length;
    if (this.#size > 64 * 1024) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.flush);
    }
  };

  flush = (): void => {
    this.#scheduled = false;
    if (this.#parts.length === 0) return;
    const parts = this.#parts;
    this.#parts = [];
    this.#size = 0;
    this.#send(parts.every((part) => typeof part === "string") ? parts.join("") : Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : part))));
  };

  #send(data: string | Uint8Array): void {
    if (this.#failed) return;
    let taken: unknown;
    try {
      taken = this.stream.write(data);
    } catch (error) {
      // A file is written synchronously: a full disk throws here rather than emitting an error.
      return this.#fail(error as NodeJS.ErrnoException);
    }
    if (taken !== false || this.#draining || !this.stream.once) return;
    this.#draining = true;
    this.options.flow?.hold(this.options.name);
    this.stream.once("drain", () => {
      this.#draining = false;
      this.options.flow?.release(this.options.name);
    });
  }

  #fail(error: NodeJS.ErrnoException): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#parts = [];
    // Nothing will drain a failed stream: tasks must not wait for it.
    this.options.flow?.release(this.options.name);
    this.options.onFailed(error);
  }
}
