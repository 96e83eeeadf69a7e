import pLimit, { type LimitFunction } from "p-limit";
import { ReadyQueue } from "./priority.js";

/**
 * The concurrency limit of a run. p-limit bounds how many lanes run at once, and a lane runs one task
 * at a time: the most urgent ready task when its slot opens (a task waiting for its deps holds none,
 * so no wait can deadlock). A lane ends when nothing is ready; a task that becomes ready asks p-limit
 * for another unless a request is already waiting, so p-limit is asked a few times per run rather
 * than once per task (10,000 no-op tasks: a chain of promises each cost more than the tasks).
 */
export class Slots<T> {
  readonly #limit: LimitFunction;
  readonly #ready = new ReadyQueue<T>();
  readonly #start: (item: T) => void;
  /** How each running task's lane is told that its slot is free. */
  readonly #running = new Map<T, () => void>();
  /** Tasks that ended since the last `admit()`. */
  #ended: T[] = [];

  /** `start` is called, a little later, for each task that gets a slot; the task holds it until `release`. */
  constructor(size: number, start: (item: T) => void) {
    this.#limit = pLimit(Math.max(1, size));
    this.#start = start;
  }

  /** Puts a ready task in the queue, and asks p-limit for a lane unless a request is waiting already. */
  wait(item: T, priority: number): void {
    this.#ready.push(item, priority);
    if (this.#limit.pendingCount === 0) void this.#limit(this.#lane);
  }

  /** The task has ended. Its slot is given back at the next `admit()`, so that the tasks its end made ready compete for it too. */
  release(item: T): void {
    this.#ended.push(item);
  }

  /** Gives back the slots of the tasks that ended since the last call: their lanes go on with the most urgent waiting tasks. */
  admit(): void {
    const ended = this.#ended;
    if (ended.length === 0) return;
    this.#ended = [];
    for (const item of ended) {
      this.#running.get(item)?.();
      this.#running.delete(item);
    }
  }

  /** Runs the most urgent ready task, then the next, until none is ready. */
  readonly #lane = async (): Promise<void> => {
    for (let item = this.#ready.pop(); item !== undefined; item = this.#ready.pop()) await this.#run(item);
  };

  #run(item: T): Promise<void> {
    return new Promise<void>((free) => {
      this.#running.set(item, free);
      this.#start(item);
    });
  }
}
