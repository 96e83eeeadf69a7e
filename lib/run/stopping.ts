import { TaskStop } from "./stop.js";

/**
 * When the run stops starting tasks, and stops those that run: after a failure (the failure policy), an
 * interrupt, or an error of a task's code that no running task could take. Each reason travels with the
 * stop of the task it stops (see stop.ts), so its end can say it.
 */
export class Stopping {
  /** Why a task that has not started will not: set once the run starts nothing new. */
  stopReason: string | undefined = undefined;
  /** An error of a task's code came when no running task could take it: the run fails, as after a failed task. */
  strayed = false;
  /** The stop of each running task. */
  readonly running = new Map<string, TaskStop>();
  /** Aborted once the run starts no more tasks: a task waiting for another mity's lock gives up. */
  readonly stopWaiting = new AbortController();
  /** Why running tasks were stopped: the first reason stays. */
  #cancelReason: string | undefined = undefined;

  constructor(readonly policy: { readonly keepGoing: boolean; readonly failFast: boolean }) {}

  /** A stop for a task that starts now. */
  track(name: string): TaskStop {
    const stop = new TaskStop();
    this.running.set(name, stop);
    return stop;
  }

  /** The failure policy: without --keep-going nothing new starts; with --fail-fast what runs is stopped. */
  failed(task: string): void {
    if (!this.policy.keepGoing) this.#startNothing(`not started: the run stopped after "${task}" failed`);
    if (this.policy.failFast) this.#cancelRunning(`stopped because "${task}" failed (--fail-fast)`);
  }

  interrupted(): void {
    this.#startNothing("not started: the run was interrupted");
    this.#cancelRunning("stopped: the run was interrupted");
  }

  /** An error of a task's code with no running task to take it: as a failure, and the run fails. */
  stray(): void {
    this.strayed = true;
    if (!this.policy.keepGoing) this.#startNothing("not started: the run stopped after an error of a task's code");
    if (this.policy.failFast) this.#cancelRunning("stopped after an error of a task's code (--fail-fast)");
  }

  /** Something the run needs is gone (a service died): the run fails, and the tasks that needed it are stopped. */
  lost(reason: string, names: readonly string[]): void {
    this.strayed = true;
    if (!this.policy.keepGoing) this.#startNothing(`not started: ${reason}`);
    for (const name of names) this.running.get(name)?.stop("cancelled", `stopped: ${reason}`);
  }

  /** Stops a running task to run it again. */
  restart(name: string, reason: string): void {
    this.running.get(name)?.stop("cancelled", `restarted: ${reason}`);
  }

  #startNothing(reason: string): void {
    this.stopReason ??= reason;
    this.stopWaiting.abort();
  }

  #cancelRunning(reason: string): void {
    this.#cancelReason ??= reason;
    for (const stop of this.running.values()) stop.stop("cancelled", this.#cancelReason);
  }
}
