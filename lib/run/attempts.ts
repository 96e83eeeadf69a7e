import type { TaskNode } from "../graph/graph.js";
import type { Admission } from "./admission.js";
import { localDispatcher } from "./dispatch.js";
import type { EventSink } from "./events.js";
import type { Job } from "./job.js";
import type { Loop } from "./loop.js";
import type { RunMemory } from "./run-memory.js";
import type { Stopping } from "./stopping.js";
import { endEvent } from "./end.js";
import { setLongTimeout, type LongTimeout } from "../util/long-timeout.js";
import type { WorkContext, WorkOutcome } from "./work.js";

/** What becomes of a task's work once it ended. */
export interface AttemptEnds {
  /** The task ended: its end is told, and its dependents move on. */
  conclude(job: Job, outcome: WorkOutcome): void;
  /** The task was restarted: it waits for its deps again. */
  rewalk(job: Job): void;
}

/**
 * A task's attempts, once admitted: each with its own stop and timeout, done by the task's dispatcher; a
 * failed one runs again while `retries` allow and the run goes on. A synchronous attempt ends at once.
 */
export class Attempts {
  constructor(
    readonly admission: Admission,
    readonly stopping: Stopping,
    readonly memory: RunMemory,
    readonly loop: Loop,
    readonly work: WorkContext,
    readonly emit: EventSink,
    /** Called before an interactive task starts, to clear the terminal for it; returns how to take it back. */
    readonly beforeInteractive: (() => Promise<() => void>) | undefined,
    readonly ends: AttemptEnds,
  ) {}

  readonly start = (job: Job, task: TaskNode): void => {
    if (job.restarting) return (this.admission.free(job), this.ends.rewalk(job));
    const { stopReason } = this.stopping;
    if (stopReason) return this.#release(job, { state: "skipped", duration: 0, reason: stopReason });
    const attempt = ++job.attempt;
    const stop = this.stopping.track(task.name);
    const timer = task.timeout === undefined ? undefined : setLongTimeout(() => stop.stop("timeout"), task.timeout);
    const dispatcher = job.dispatcher ?? localDispatcher;
    const { work, beforeInteractive } = this;
    const working = task.interactive && beforeInteractive ? withTerminal(beforeInteractive, () => dispatcher.run(task, work, stop, attempt)) : dispatcher.run(task, work, stop, attempt);
    if (!(working instanceof Promise)) return this.#ended(job, task, timer, working);
    this.loop.afterwards(working, (outcome) => this.#ended(job, task, timer, outcome));
  };

  #ended(job: Job, task: TaskNode, timer: LongTimeout | undefined, outcome: WorkOutcome): void {
    timer?.cancel();
    this.stopping.running.delete(task.name);
    if (job.restarting) return this.#restarted(job, outcome);
    const { attempt } = job;
    if (outcome.state === "failed" && attempt <= (task.retries ?? 0) && !this.stopping.stopReason) return this.#retry(job, task, outcome);
    if (attempt > 1 || task.retries) outcome = { ...outcome, attempt };
    const remembering = outcome.state === "ok" ? this.memory.remember(task, outcome.duration) : undefined;
    if (!remembering) return this.#release(job, outcome);
    this.loop.afterwards(remembering, () => (job.restarting ? this.#restarted(job, outcome) : this.#release(job, outcome)));
  }

  // A failed attempt with retries left: says why, and starts the next one in the same slot.
  #retry(job: Job, task: TaskNode, outcome: WorkOutcome): void {
    const why = outcome.reason === undefined ? "" : `: ${outcome.reason}`;
    const line = `mity: attempt ${job.attempt} of ${(task.retries ?? 0) + 1} failed${why}; running it again`;
    this.emit({ event: "output", task: task.name, stream: "stderr", line, time: this.work.now() });
    this.start(job, task);
  }

  #release(job: Job, outcome: WorkOutcome): void {
    this.admission.free(job);
    this.ends.conclude(job, outcome);
  }

  // The run of a restarted task ended: its end is told (its dependents do not move on), and it waits for its deps again.
  #restarted(job: Job, outcome: WorkOutcome): void {
    this.emit(endEvent(job.task!.name, outcome, this.work.now()));
    this.admission.free(job);
    this.ends.rewalk(job);
  }
}

/** Runs work that takes the terminal (an interactive task): the live view yields it first and takes it back after. */
async function withTerminal(beforeInteractive: () => Promise<() => void>, work: () => WorkOutcome | Promise<WorkOutcome>): Promise<WorkOutcome> {
  const giveBack = await beforeInteractive();
  try {
    return await work();
  } finally {
    giveBack();
  }
}
