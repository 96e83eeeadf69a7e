import type { TaskNode } from "../graph/graph.js";
import type { TaskOutcome } from "../types.js";
import { DONE, GOING, IDLE, Job, WAITING } from "./job.js";

/** Where the walk hands a job on. */
export interface WalkEnds {
  /** Every dep of the task is done: its checks, gates and work come next. */
  depsDone(job: Job, task: TaskNode): void;
  /** Every requested task is done. */
  allDone(): void;
}

/**
 * The dependency walk: each job moves on once its deps are done. `steps` holds the jobs to move on (just
 * requested, or one of their deps just ended); moving one never calls into another directly, so chains
 * of any length use no stack.
 */
export class Walk {
  readonly jobs = new Map<string, Job>();
  readonly steps: Job[] = [];

  constructor(
    readonly tasks: ReadonlyMap<string, TaskNode>,
    /** Whether deps of a task that leaves `concurrent` unset run at the same time. */
    readonly parallel: boolean,
    readonly ends: WalkEnds,
  ) {}

  jobOf(name: string): Job {
    let job = this.jobs.get(name);
    if (!job) {
      const task = this.tasks.get(name)!;
      job = new Job(task, task.deps, task.concurrent ?? this.parallel);
      this.jobs.set(name, job);
    }
    return job;
  }

  request(job: Job): void {
    if (job.phase !== IDLE) return;
    job.phase = WAITING;
    this.steps.push(job);
  }

  /** Moves every queued job on, and those their moves queue in turn. */
  step(): void {
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) this.#advance(steps[i]!);
    steps.length = 0;
  }

  // Called when the job is requested and each time a dep it waits for ends.
  #advance(job: Job): void {
    const { deps } = job;
    if (job.concurrent) {
      if (job.pending < 0) {
        job.pending = 0;
        for (const name of deps) {
          const dep = this.jobOf(name);
          if (dep.phase === DONE) continue;
          this.#waitFor(job, dep);
          job.pending++;
        }
      } else job.pending--;
      if (job.pending > 0) return;
    } else {
      for (; job.next < deps.length; job.next++) {
        const dep = this.jobOf(deps[job.next]!);
        if (dep.phase !== DONE) return this.#waitFor(job, dep);
      }
    }
    if (!job.task) return this.ends.allDone();
    job.phase = GOING;
    this.ends.depsDone(job, job.task);
  }

  #waitFor(job: Job, dep: Job): void {
    this.request(dep);
    (dep.waiters ??= []).push(job);
  }

  /** The job has ended: those waiting for it move on. */
  conclude(job: Job, outcome: TaskOutcome): void {
    job.outcome = outcome;
    job.phase = DONE;
    const waiters = job.waiters;
    job.waiters = undefined;
    if (waiters) for (const waiter of waiters) this.steps.push(waiter);
  }

  /** The job starts over: off the waiter lists it is on, it waits for its deps afresh. */
  rewalk(job: Job): void {
    for (const name of job.deps) {
      const waiters = this.jobs.get(name)?.waiters;
      const at = waiters ? waiters.indexOf(job) : -1;
      if (at !== -1) waiters!.splice(at, 1);
    }
    job.phase = WAITING;
    job.pending = -1;
    job.next = 0;
    job.outcome = undefined;
    job.attempt = 0;
    job.restarting = false;
    this.steps.push(job);
  }
}
