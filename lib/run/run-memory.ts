import type { TaskNode } from "../graph/graph.js";
import { checkTask, fingerprintOf, groupFingerprint, isTracked, scanTask } from "../state/check.js";
import type { FileTable } from "../state/files.js";
import type { ScanContext } from "../state/scan.js";
import type { StateStore } from "../state/store.js";
import type { EventSink } from "./events.js";
import type { WorkOutcome } from "./work.js";

const hasNewTimes = (before: FileTable | undefined, now: FileTable) =>
  Object.entries(now).some(([path, entry]) => before?.[path]?.mtimeMs !== entry.mtimeMs);

const NO_PRINTS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * What a run knows and keeps for Make-style incremental runs: each finished task's fingerprint (which
 * its dependents' up-to-date checks compare), the verdict of a tracked task's check, and what a
 * success leaves in the state for the next run.
 */
export class RunMemory {
  /** What each finished task passes to its dependents' checks. */
  readonly #prints = new Map<string, string>();
  readonly #runId = Math.random().toString(36).slice(2);
  /** How many times a task was run again in this run (restarted), for those that were. */
  #reruns: Map<string, number> | undefined;
  /** Shared by every check of the run: its stop signal, and the folders listed so far. */
  readonly #scanning: ScanContext;

  constructor(
    readonly options: {
      state: StateStore | undefined;
      params: ReadonlyMap<string, Readonly<Record<string, unknown>>> | undefined;
      emit: EventSink;
      now: () => number;
      tasks: ReadonlyMap<string, TaskNode>;
      /** Whether a task succeeded in this run (not up to date, not skipped). */
      ranOk: (name: string) => boolean;
      /** The run's interrupt: a scan in progress stops with it. */
      signal?: AbortSignal | undefined;
    },
  ) {
    this.#scanning = { signal: options.signal };
  }

  /** The fingerprints of a task's deps, by name. */
  printsOf(task: TaskNode): Record<string, string> {
    if (task.deps.length === 0) return NO_PRINTS;
    const prints: Record<string, string> = {};
    for (const dep of task.deps) prints[dep] = this.#printOf(dep);
    return prints;
  }

  #printOf(name: string): string {
    const known = this.#prints.get(name);
    if (known !== undefined) return known;
    // Tracked tasks are known once checked or done. Of the rest, only a success in this run has a print:
    // a group's is made of its deps' (when a tracked task first asks), another task's names the run.
    if (!this.options.ranOk(name)) return "";
    const task = this.options.tasks.get(name)!;
    const print = task.run === undefined ? groupFingerprint(this.printsOf(task)) : this.#ownPrint(name);
    this.#prints.set(name, print);
    return print;
  }

  /** Checks a tracked task against its record: an `up-to-date` outcome, or undefined when it must run. */
  async upToDate(task: TaskNode, record: NonNullable<ReturnType<StateStore["get"]>>): Promise<WorkOutcome | undefined> {
    const verdict = await this.#stoppable(checkTask(task, record, this.#paramsOf(task), this.printsOf(task), this.#scanning));
    if (!verdict?.upToDate) return undefined;
    this.#prints.set(task.name, record.fingerprint);
    // Touched but unchanged files: remember their new times so the next check need not read them.
    if (hasNewTimes(record.inputs, verdict.inputs.files) || hasNewTimes(record.outputs, verdict.outputs.files)) {
      this.options.state!.set(task.name, { ...record, inputs: verdict.inputs.files, outputs: verdict.outputs.files }, undefined);
    }
    return { state: "up-to-date", duration: 0, reason: verdict.reason };
  }

  /**
   * After a success: the fingerprint for dependents, and what the next run's check compares with.
   * Synchronous for a task that tracks no files: most tasks, and they should not wait a turn for nothing.
   */
  remember(task: TaskNode, duration: number): Promise<void> | undefined {
    if (isTracked(task)) return this.#rememberFiles(task, duration);
    // Its fingerprint is made when a dependent asks (printsOf). Durations of quick tasks would only grow the
    // state file: they do not change the schedule.
    if (duration >= 10) this.options.state?.set(task.name, { fingerprint: this.#ownPrint(task.name) }, duration);
    return undefined;
  }

  async #rememberFiles(task: TaskNode, duration: number): Promise<void> {
    const { state, emit, now } = this.options;
    const depPrints = this.printsOf(task);
    // Files the task did not touch keep their size and time, and so their recorded hash: only changed ones are read.
    const after = await this.#stoppable(scanTask(task, this.#paramsOf(task), state?.get(task.name), this.#scanning));
    // Interrupted: nothing is recorded, so the next run checks it afresh.
    if (!after) return;
    const say = (line: string) => emit({ event: "output", task: task.name, stream: "stderr", line: `mity: ${line}`, time: now() });
    for (const [kind, scan] of [["inputs", after.inputs], ["outputs", after.outputs]] as const) {
      for (const pattern of scan.empty) say(`${kind} pattern "${pattern}" matches no file`);
    }
    const problems = [...after.inputs.problems, ...after.outputs.problems];
    if (problems.length > 0) {
      // Not all its files are known: no record, so it runs again next time, and its dependents now.
      for (const problem of problems) say(`${problem}; it will run every time until this is fixed`);
      this.#prints.set(task.name, this.#ownPrint(task.name));
      return;
    }
    const fingerprint = fingerprintOf(after.definition, depPrints, after.inputs, after.outputs);
    this.#prints.set(task.name, fingerprint);
    state?.set(task.name, { fingerprint, definition: after.definition, deps: depPrints, inputs: after.inputs.files, outputs: after.outputs.files }, duration);
  }

  /** The task runs again in this run: its dependents' checks must not take its earlier print for the new one. */
  forget(name: string): void {
    this.#prints.delete(name);
    (this.#reruns ??= new Map()).set(name, (this.#reruns.get(name) ?? 0) + 1);
  }

  /** The print of a task that tracks no files: it names the run, and which run of the task within it. */
  #ownPrint(name: string): string {
    const reruns = this.#reruns?.get(name);
    return reruns === undefined ? `${name}@${this.#runId}` : `${name}@${this.#runId}.${reruns}`;
  }

  /** What a scan gives, or undefined when the run was interrupted meanwhile. */
  async #stoppable<T>(scanning: Promise<T>): Promise<T | undefined> {
    try {
      return await scanning;
    } catch (error) {
      if (this.options.signal?.aborted) return undefined;
      throw error;
    }
  }

  #paramsOf(task: TaskNode): Readonly<Record<string, unknown>> {
    return this.options.params?.get(task.name) ?? {};
  }
}
