/**
 * The scheduler's one loop. A drain makes passes until nothing moves: each pass moves on the jobs that
 * can be and gives the slots of ended tasks to the most urgent ready ones. Something asynchronous that
 * ends queues one drain for its turn of the event loop, so that all that ended in a turn compete for the
 * slots, and that drain comes before the writes of what it reports (see docs/architecture.md).
 */
export class Loop {
  #draining = false;
  #drainQueued = false;

  constructor(
    /** One pass; returns whether another is needed. */
    readonly pass: () => boolean,
    /** The run cannot go on: a bug, not a task's failure. */
    readonly broken: (error: unknown) => void,
  ) {}

  readonly drain = (): void => {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.pass());
    } catch (error) {
      this.broken(error);
    } finally {
      this.#draining = false;
    }
  };

  /** What follows something asynchronous; the turn's drain is queued first, so it comes before what `then` reports. */
  afterwards<T>(promise: Promise<T>, then: (value: T) => void): void {
    promise
      .then((value) => {
        this.later();
        then(value);
      })
      .catch(this.broken);
  }

  /** A drain once this turn's callbacks are done. */
  later(): void {
    if (this.#drainQueued) return;
    this.#drainQueued = true;
    setImmediate(this.#queuedDrain);
  }

  readonly #queuedDrain = (): void => {
    this.#drainQueued = false;
    this.drain();
  };
}
