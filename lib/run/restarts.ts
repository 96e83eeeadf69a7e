import { DONE, GOING, WAITING, type Job } from "./job.js";
import type { Loop } from "./loop.js";
import type { Stopping } from "./stopping.js";
import type { Walk } from "./walk.js";

/**
 * Restarts while the run goes on (watch mode): the named tasks run again, then those of their dependents
 * in this run that already ended. Asked for at any time, applied by the loop between two passes, when
 * no job is queued to move on, so every job's count of what it waits for holds.
 */
export class Restarts {
  #asked: { names: readonly string[]; reason: string }[] | undefined = undefined;

  constructor(
    readonly walk: Walk,
    readonly stopping: Stopping,
    readonly loop: Loop,
    /** The run's own job: it waits for the requested tasks afresh. */
    readonly root: Job,
    readonly rewalk: (job: Job) => void,
  ) {}

  get pending(): boolean {
    return this.#asked !== undefined;
  }

  ask(names: readonly string[], reason: string): void {
    (this.#asked ??= []).push({ names, reason });
    this.loop.later();
  }

  apply(): void {
    const asked = this.#asked;
    if (asked === undefined) return;
    this.#asked = undefined;
    for (const { names, reason } of asked) this.#restart(names, reason);
    if (this.root.phase === WAITING) this.rewalk(this.root);
  }

  // Ended ones wait for their deps again; running ones are stopped and do so once they end; those past
  // their deps but not started go back when they would start, if they ran before or a dep of theirs goes back.
  #restart(names: readonly string[], reason: string): void {
    const affected = this.#dependentsOf(names);
    for (const name of affected) {
      const job = this.walk.jobs.get(name)!;
      if (job.phase === DONE || job.phase === WAITING) this.rewalk(job);
      else if (job.phase === GOING) {
        const running = this.stopping.running.has(name);
        if (running || job.attempt > 0 || job.deps.some((dep) => affected.has(dep))) job.restarting = true;
        if (running) this.stopping.restart(name, reason);
      }
    }
  }

  // The named tasks of this run and, transitively, those of this run that depend on them.
  #dependentsOf(names: readonly string[]): Set<string> {
    const dependents = new Map<string, string[]>();
    for (const [name, job] of this.walk.jobs) {
      for (const dep of job.deps) (dependents.get(dep) ?? dependents.set(dep, []).get(dep)!).push(name);
    }
    const affected = new Set(names.filter((name) => this.walk.jobs.has(name)));
    for (const name of affected) for (const dependent of dependents.get(name) ?? []) affected.add(dependent);
    return affected;
  }
}
