import { setImmediate as nextTurn } from "node:timers/promises";

/** How long a scan may keep the event loop before it lets signals and other tasks in. */
const SLICE_MS = 15;

/** The most files and folders one list of patterns may reach: beyond it the patterns are too wide to be meant. */
export const MAX_ENTRIES = 1_000_000;

/** Thrown when a scan reaches more than the limit of entries. */
export class TooManyFiles extends Error {}

/**
 * Keeps a long synchronous scan interruptible and bounded: it hands the event loop back every few
 * milliseconds, so Ctrl-C and SIGTERM are heard, throws the run's abort reason once the run is
 * stopped, and counts what it reaches against a limit.
 */
export class Pacer {
  #since = Date.now();
  #seen = 0;

  constructor(
    readonly signal: AbortSignal | undefined,
    readonly limit = MAX_ENTRIES,
  ) {
    signal?.throwIfAborted();
  }

  /** Counts one file or folder reached; throws past the limit. */
  count(): void {
    if (++this.#seen > this.limit) throw new TooManyFiles();
  }

  /** Whether the scan has held the event loop long enough to pause. */
  due(): boolean {
    return Date.now() - this.#since >= SLICE_MS;
  }

  async pause(): Promise<void> {
    await nextTurn();
    this.#since = Date.now();
    this.signal?.throwIfAborted();
  }
}
