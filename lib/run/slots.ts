import pLimit, { type LimitFunction } from "p-limit";
import { ReadyQueue } from "./priority.js";

/**
 * The concurrency limit of a run. p-limit bounds how many tasks do their own work at once; the priority
 * queue chooses which ready task takes a slot when one opens: every call to p-limit starts the most
 * urgent task waiting at that moment, not the task it was made for. Only a task's own work holds a slot
 * (a task waiting for its deps holds none, so no wait can deadlock).
 */
export class Slots<T> {
  readonly #limit: LimitFunction;
  readonly #ready = new ReadyQueue<T>();
  readonly #start: (item: T) => void;
  /** How each running task's slot is given back to p-limit. */
  readonly #running = new Map<T, () => void>();
  /** Tasks that ended since the last `admit()`. */
  #ended: T[] = [];

  /** `start` is called, a little later, for each task that gets a slot; the task holds it until `release`. */
  constructor(size: number, start: (item: T) => void) {
    this.#limit = pLimit(Math.max(1, size));
    this.#start = start;
  }

  /** Puts a ready task in the queue and asks p-limit for a slot. */
  wait(item: T, priority: number): void {
    this.#ready.push(item, priority);
    void this.#limit(this.#next);
  }

  /** The task has ended. Its slot is given back at the next `admit()`, so that the tasks its end made ready compete for it too. */
  release(item: T): void {
    this.#ended.push(item);
  }

  /** Gives back the slots of the tasks that ended since the last call; p-limit then starts the most urgent waiting tasks in them. */
  admit(): void {
    const ended = this.#ended;
    if (ended.length === 0) return;
    this.#ended = [];
    for (const item of ended) {
      this.#running.get(item)?.();
      this.#running.delete(item);
    }
  }

  /** A slot's work: the most urgent ready task, from its start until its slot is given back. */
  readonly #next = (): Promise<void> =>
    new Promise<void>((done) => {
      const item = this.#ready.pop()!;
      this.#running.set(item, done);
      this.#start(item);
    });
}
