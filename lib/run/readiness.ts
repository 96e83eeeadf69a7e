import type { TaskNode } from "../graph/graph.js";
import { isTracked } from "../state/check.js";
import type { StateStore } from "../state/store.js";
import type { Admission } from "./admission.js";
import type { Job } from "./job.js";
import type { Loop } from "./loop.js";
import type { RunMemory } from "./run-memory.js";
import type { Stopping } from "./stopping.js";
import type { Walk } from "./walk.js";
import type { WorkOutcome } from "./work.js";

/** What readiness needs of the run's options. */
export interface ReadinessOptions {
  skip?: ((task: TaskNode) => string | undefined) | undefined;
  state?: StateStore | undefined;
  force?: ReadonlySet<string> | "all" | undefined;
  yes?: boolean | undefined;
  confirm?: ((task: string, question: string) => Promise<boolean>) | undefined;
  beforeInteractive?: (() => Promise<() => void>) | undefined;
}

/**
 * Whether a task whose deps are done goes on to be admitted, or ends here: skipped after a dep that did
 * not succeed or once the run stops, passed over by the skip hook, up to date, or declined at its question.
 */
export class Readiness {
  /** Tasks passed over on purpose (a hook's task with no staged input): their dependents still run. */
  readonly passedOver = new Set<string>();

  constructor(
    readonly options: ReadinessOptions,
    readonly walk: Walk,
    readonly stopping: Stopping,
    readonly admission: Admission,
    readonly memory: RunMemory,
    readonly loop: Loop,
    readonly conclude: (job: Job, outcome: WorkOutcome) => void,
    readonly rewalk: (job: Job) => void,
  ) {}

  depsDone(job: Job, task: TaskNode): void {
    const notDone = this.#depNotDone(job);
    if (notDone) return this.conclude(job, notDone);
    const { options, stopping } = this;
    if (stopping.stopReason) return this.conclude(job, { state: "skipped", duration: 0, reason: stopping.stopReason });
    const skipReason = options.skip?.(task);
    if (skipReason) {
      this.passedOver.add(task.name);
      return this.conclude(job, { state: "skipped", duration: 0, reason: skipReason });
    }
    const forced = options.force === "all" || options.force?.has(task.name);
    const record = options.state && isTracked(task) && !forced ? options.state.get(task.name) : undefined;
    if (record || (task.confirm !== undefined && !options.yes)) {
      return this.loop.afterwards(this.#prepare(task, record), (ended) => (job.restarting ? this.rewalk(job) : ended ? this.conclude(job, ended) : this.#proceed(job, task)));
    }
    this.#proceed(job, task);
  }

  // The first dep that neither succeeded nor was passed over makes the task skipped.
  #depNotDone(job: Job): WorkOutcome | undefined {
    for (const name of job.deps) {
      const dep = this.walk.jobs.get(name)!.outcome!;
      if (dep.state === "ok" || dep.state === "up-to-date" || this.passedOver.has(dep.name)) continue;
      const what = dep.state === "failed" ? "failed" : dep.state === "cancelled" ? "was cancelled" : "did not run";
      return { state: "skipped", duration: 0, reason: `dep "${dep.name}" ${what}` };
    }
    return undefined;
  }

  // A group is done once its deps are; a task with work is admitted.
  #proceed(job: Job, task: TaskNode): void {
    if (task.run === undefined) return this.conclude(job, { state: "ok", duration: 0 });
    this.admission.enter(job, task);
  }

  // The checks that may take a while before a task runs: up to date, and its confirm question.
  async #prepare(task: TaskNode, record: ReturnType<StateStore["get"]>): Promise<WorkOutcome | undefined> {
    const upToDate = record && (await this.memory.upToDate(task, record));
    if (upToDate) return upToDate;
    if (task.confirm !== undefined && !this.options.yes) {
      const answer = await this.#ask(task);
      if (answer === undefined) {
        return { state: "failed", duration: 0, reason: `asks "${task.confirm}" but there is no terminal to answer it: run with --yes to answer yes` };
      }
      // Interrupted while asking (Ctrl-C at the question) is not a "no".
      if (this.stopping.stopReason) return { state: "skipped", duration: 0, reason: this.stopping.stopReason };
      if (!answer) return { state: "cancelled", duration: 0, reason: "declined at the confirmation prompt" };
    }
    return undefined;
  }

  // The question has the terminal to itself, as an interactive task does.
  async #ask(task: TaskNode): Promise<boolean | undefined> {
    const { confirm, beforeInteractive } = this.options;
    if (!confirm) return undefined;
    const leave = await this.admission.gates.enter({ lock: undefined, interactive: true });
    const giveBack = await beforeInteractive?.();
    try {
      return await confirm(task.name, task.confirm!);
    } finally {
      giveBack?.();
      leave();
    }
  }
}
