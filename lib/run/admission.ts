import type { TaskNode } from "../graph/graph.js";
import type { Dispatcher } from "./dispatch.js";
import type { Gates } from "./gates.js";
import type { Job } from "./job.js";
import type { Loop } from "./loop.js";
import { Slots } from "./slots.js";

/**
 * Admission of a task whose deps are done and checks passed: through its gates (its lock, the terminal),
 * then to its dispatcher. Work done in this process waits for one of the run's `-j` slots, the most
 * urgent first; work done elsewhere starts at once, bounded where it is done.
 */
export class Admission {
  readonly #slots: Slots<Job>;

  constructor(
    concurrency: number,
    readonly gates: Gates,
    /** Longest remaining path of each task: the most urgent first. */
    readonly priorities: ReadonlyMap<string, number>,
    readonly dispatcherFor: ((task: TaskNode) => Dispatcher | undefined) | undefined,
    readonly loop: Loop,
    readonly start: (job: Job, task: TaskNode) => void,
  ) {
    // A task that gets a slot starts, then what its end moved on (if it ended at once) is moved on.
    this.#slots = new Slots<Job>(concurrency, (job) => {
      try {
        start(job, job.task!);
      } catch (error) {
        loop.broken(error);
      }
      loop.drain();
    });
  }

  enter(job: Job, task: TaskNode): void {
    job.dispatcher = this.dispatcherFor?.(task);
    if (!this.gates.applies(task)) return this.#admit(job, task);
    this.loop.afterwards(this.gates.enter(task), (leave) => {
      job.leave = leave;
      this.#admit(job, task);
    });
  }

  #admit(job: Job, task: TaskNode): void {
    if (holdsSlot(job)) this.#slots.wait(job, this.priorities.get(task.name) ?? 0);
    else this.start(job, task);
  }

  /** Gives back the task's slot, and its place behind its lock or at the terminal. */
  free(job: Job): void {
    if (holdsSlot(job)) this.#slots.release(job);
    job.leave?.();
    job.leave = undefined;
  }

  /** Gives the slots of the tasks that ended to ready ones; whether any was given back. */
  admitEnded(): boolean {
    return this.#slots.admit();
  }
}

const holdsSlot = (job: Job) => job.dispatcher === undefined || job.dispatcher.local;
