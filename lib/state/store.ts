import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ignoreItself, writeAtomically } from "../util/files.js";
import type { FileTable } from "./files.js";

/** Bumped only for changes an older mity could not read; new fields are simply added. */
const VERSION = 1;
/** Recent durations kept per task. */
const KEPT_DURATIONS = 10;

/** What mity remembers of a task's last success. */
export interface TaskRecord {
  /** What dependents compare: changes whenever the task's result may have changed. */
  fingerprint: string;
  /** Hashes of the parts of the task's definition, so --why can say which one changed. */
  definition?: Record<string, string>;
  /** Each dep's fingerprint when this task last succeeded. */
  deps?: Record<string, string>;
  inputs?: FileTable;
  outputs?: FileTable;
  /** Recent durations in milliseconds, newest last. */
  durations?: number[];
}

interface StateFile {
  format: "mity-state";
  version: number;
  tasks: Record<string, TaskRecord>;
}

/**
 * The state kept in `.mity/state.json` beside the root mityfile. A damaged or foreign file is a
 * warning and a full run. Saving merges with what another run may have written meanwhile, and
 * replaces the file in one rename, so a crash or an overlapping run never leaves half a file.
 */
export class StateStore {
  readonly #path: string;
  #tasks: Record<string, TaskRecord>;
  readonly #changed = new Set<string>();
  readonly warning: string | undefined;

  private constructor(path: string, tasks: Record<string, TaskRecord>, warning?: string) {
    this.#path = path;
    this.#tasks = tasks;
    this.warning = warning;
  }

  static load(root: string): StateStore {
    const path = join(root, ".mity", "state.json");
    const read = readState(path);
    return new StateStore(path, read.tasks, read.warning);
  }

  get(task: string): TaskRecord | undefined {
    return this.#tasks[task];
  }

  /** Records a success; the previous durations carry over. */
  set(task: string, record: Omit<TaskRecord, "durations">, duration: number | undefined): void {
    const durations = [...(this.#tasks[task]?.durations ?? []), ...(duration === undefined ? [] : [duration])].slice(-KEPT_DURATIONS);
    this.#tasks[task] = { ...record, ...(durations.length ? { durations } : {}) };
    this.#changed.add(task);
  }

  /** The typical (median) recent duration of a task, if any was recorded. */
  duration(task: string): number | undefined {
    const durations = this.#tasks[task]?.durations;
    if (!durations?.length) return undefined;
    return [...durations].sort((a, b) => a - b)[Math.floor(durations.length / 2)];
  }

  /** Writes what this run changed; returns a warning when the file cannot be written. */
  save(): string | undefined {
    if (this.#changed.size === 0) return undefined;
    let release: (() => void) | undefined;
    try {
      mkdirSync(join(this.#path, ".."), { recursive: true });
      release = lockFile(`${this.#path}.lock`);
      const onDisk = readState(this.#path);
      // A newer mity's file is left as it is: its records are not ours to drop.
      if (onDisk.newer) return `${this.#path} belongs to a newer mity; this run's results were not saved`;
      const current = onDisk.tasks;
      for (const task of this.#changed) current[task] = this.#tasks[task]!;
      const file: StateFile = { format: "mity-state", version: VERSION, tasks: current };
      ignoreItself(dirname(this.#path));
      writeAtomically(this.#path, JSON.stringify(file));
      this.#changed.clear();
      return undefined;
    } catch (error) {
      return `cannot save ${this.#path}: ${(error as Error).message}; the next run will not know what this one did`;
    } finally {
      release?.();
    }
  }
}

/** A lock older than this was left by a run that died: it is taken over. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/**
 * Takes a lock file (created exclusively), so that the read-merge-rename of two overlapping runs
 * happens one after the other and neither loses what the other wrote.
 */
function lockFile(path: string): () => void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs > STALE_LOCK_MS) rmSync(path, { force: true });
      } catch {
        // The other run released it meanwhile: try again at once.
      }
      if (Date.now() > deadline) throw new Error(`${path} is held by another mity for more than ${LOCK_WAIT_MS / 1000} s`);
      Atomics.wait(sleeper, 0, 0, 5);
    }
  }
}

function readState(path: string): { tasks: Record<string, TaskRecord>; warning?: string; newer?: boolean } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { tasks: {} };
  }
  try {
    const file = JSON.parse(text) as Partial<StateFile>;
    if (file.format !== "mity-state" || typeof file.tasks !== "object" || file.tasks === null) {
      return { tasks: {}, warning: `${path} is not a mity state file; ignoring it, so every task runs` };
    }
    if (typeof file.version !== "number" || file.version > VERSION) {
      return { tasks: {}, newer: true, warning: `${path} was written by a newer mity (state version ${String(file.version)}); ignoring it, so every task runs` };
    }
    return { tasks: file.tasks };
  } catch {
    return { tasks: {}, warning: `${path} is damaged; ignoring it, so every task runs (it is rewritten after this run)` };
  }
}
