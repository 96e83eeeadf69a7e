/** What a run reads of a flow: whether to wait before reading commands' output, and when to go on. */
export interface OutputGate {
  readonly held: boolean;
  whenFree(resume: () => void): void;
}

/**
 * Lets whatever shows or keeps a run's output slow the run's commands down: while anything holds the
 * flow (stdout's buffer is full, the log is behind), commands' pipes are not read, so a command waits on
 * its own full pipe instead of mity holding its output in memory.
 */
export class OutputFlow implements OutputGate {
  #holders = new Set<string>();
  #waiting: (() => void)[] = [];

  get held(): boolean {
    return this.#holders.size > 0;
  }

  hold(by: string): void {
    this.#holders.add(by);
  }

  release(by: string): void {
    if (!this.#holders.delete(by) || this.#holders.size > 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resume of waiting) resume();
  }

  whenFree(resume: () => void): void {
    if (this.held) this.#waiting.push(resume);
    else resume();
  }
}
