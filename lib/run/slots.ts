import { ReadyQueue } from "./priority.js";

/**
 * The concurrency slots of a run. Ready tasks wait in a priority queue and are let in, most urgent
 * first, while a slot is free. Plain counting, no promise per task: a run may have 10,000 no-op tasks,
 * and a promise for each cost more than the tasks themselves.
 */
export class Slots<T> {
  readonly #size: number;
  readonly #ready = new ReadyQueue<T>();
  #used = 0;

  constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  /** Puts a ready task in the queue. */
  wait(item: T, priority: number): void {
    this.#ready.push(item, priority);
  }

  /**
   * Takes the waiting tasks that may start now (as many as slots are free, most urgent first) and
   * counts their slots as taken. All tasks that became ready before this call compete for them.
   */
  admit(): T[] {
    const admitted: T[] = [];
    while (this.#used < this.#size && this.#ready.size > 0) {
      this.#used++;
      admitted.push(this.#ready.pop()!);
    }
    return admitted;
  }

  /** Gives back the slot of a task that has ended. */
  release(): void {
    this.#used--;
  }
}
