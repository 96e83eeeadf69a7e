/** Why a running task is stopped: "failed" when its code let an error escape (see stray-errors.ts). */
export type StopCause = "cancelled" | "timeout" | "failed";

/**
 * A task's stop switch. Most tasks end without being stopped, and an AbortController costs more than a
 * no-op task does: its AbortSignal is made only when something asks for one (`ctx.signal`, a command).
 */
export class TaskStop {
  #cause: StopCause | undefined;
  #reason: string | undefined;
  #controller: AbortController | undefined;
  #listeners: (() => void)[] | undefined;

  /** Why the task was stopped, or undefined while it may go on. */
  get cause(): StopCause | undefined {
    return this.#cause;
  }

  /** What the task's end says it was stopped for (`stopped because "lint" failed`), when the stopper said. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** Stops the task: its signal aborts with the cause, and every listener is called once. The first stop's reason stays. */
  stop(cause: StopCause, reason?: string): void {
    if (this.#cause !== undefined) return;
    this.#cause = cause;
    this.#reason = reason;
    this.#controller?.abort(cause);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  /** Calls `listener` when the task is stopped (at once if it already is); returns a function that forgets it. */
  onStop(listener: () => void): () => void {
    if (this.#cause !== undefined) {
      listener();
      return () => {};
    }
    (this.#listeners ??= []).push(listener);
    return () => {
      const index = this.#listeners?.indexOf(listener) ?? -1;
      if (index !== -1) this.#listeners!.splice(index, 1);
    };
  }

  /** An AbortSignal that aborts, with the cause as its reason, when the task is stopped. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#cause !== undefined) this.#controller.abort(this.#cause);
    }
    return this.#controller.signal;
  }
}
