import pLimit, { type LimitFunction } from "p-limit";
import { ReadyQueue } from "./priority.js";

/**
 * The concurrency limit of a run. p-limit bounds how many lanes run at once, and a lane runs one task
 * at a time: the most urgent ready task when its slot opens (a task waiting for its deps holds none,
 * so no wait can deadlock). A lane ends when nothing is ready; a task that becomes ready asks p-limit
 * for another lane unless a request is already waiting. So p-limit is asked a few times per run, and a
 * lane goes from one task to the next with plain calls: 10,000 no-op tasks cost more than the tasks
 * themselves when each took a chain of promises.
 */
export class Slots<T> {
  readonly #limit: LimitFunction;
  readonly #ready = new ReadyQueue<T>();
  readonly #start: (item: T) => void;
  /** Each running task's lane: how it ends, should nothing be ready when the task ends. */
  readonly #running = new Map<T, () => void>();
  /** Tasks that ended since the last `admit()`, and an empty array to take its place (no array made per admission). */
  #ended: T[] = [];
  #spare: T[] = [];
  /** The tasks an admission chose, and the lanes that run them. */
  readonly #chosen: T[] = [];
  readonly #chosenLanes: (() => void)[] = [];
  #admitting = false;

  /** `start` is called for each task that gets a slot; the task holds it until `release` and the `admit` after it. */
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

  /**
   * Gives back the slots of the tasks that ended since the last call: each of their lanes takes the most
   * urgent ready task (all chosen before any starts), or ends. Returns whether any slot was given back;
   * a call from within a task started by it does nothing (the caller calls again).
   */
  admit(): boolean {
    const ended = this.#ended;
    if (ended.length === 0 || this.#admitting) return false;
    this.#ended = this.#spare;
    this.#admitting = true;
    const chosen = this.#chosen;
    const lanes = this.#chosenLanes;
    try {
      for (let i = 0; i < ended.length; i++) {
        const item = ended[i]!;
        const endLane = this.#running.get(item)!;
        this.#running.delete(item);
        const following = this.#ready.pop();
        if (following === undefined) endLane();
        else {
          chosen.push(following);
          lanes.push(endLane);
        }
      }
      ended.length = 0;
      this.#spare = ended;
      for (let i = 0; i < chosen.length; i++) this.#begin(chosen[i]!, lanes[i]!);
    } finally {
      chosen.length = 0;
      lanes.length = 0;
      this.#admitting = false;
    }
    return true;
  }

  /** A lane p-limit started: it runs tasks until none is ready. */
  readonly #lane = (): Promise<void> =>
    new Promise<void>((endLane) => {
      const item = this.#ready.pop();
      if (item === undefined) endLane();
      else this.#begin(item, endLane);
    });

  #begin(item: T, endLane: () => void): void {
    this.#running.set(item, endLane);
    this.#start(item);
  }
}
