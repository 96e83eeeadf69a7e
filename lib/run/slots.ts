import pLimit from "p-limit";
import { ReadyQueue } from "./priority.js";

/**
 * The concurrency slots of a run. p-limit bounds how many tasks work at once; ready tasks wait in a
 * priority queue in front of it and enter only when a slot is free, so the most urgent goes first.
 */
export class Slots {
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #size: number;
  readonly #ready = new ReadyQueue<() => void>();
  #admitted = 0;
  #pumpScheduled = false;

  constructor(size: number) {
    this.#size = Math.max(1, size);
    this.#limit = pLimit(this.#size);
  }

  /** Runs `work` in a slot once one is free and no more urgent task waits. */
  run<T>(priority: number, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#ready.push(() => {
        this.#limit(work).then(resolve, reject).finally(() => {
          this.#admitted--;
          this.#schedulePump();
        });
      }, priority);
      this.#schedulePump();
    });
  }

  // Tasks that become ready in the same turn are all queued before any is admitted, so order counts.
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      while (this.#admitted < this.#size && this.#ready.size > 0) {
        this.#admitted++;
        this.#ready.pop()!();
      }
    });
  }
}
