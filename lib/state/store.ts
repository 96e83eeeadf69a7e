import { appendFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ignoreItself, writeAtomically } from "../util/files.js";
import { ownHolder, tryLock, unlock, type Holder } from "../util/lock-file.js";
import type { FileTable } from "./files.js";
import { mityFolder } from "./folder.js";
import { readJournal, readState, type StateFile } from "./state-file.js";

/** Bumped only for changes an older mity could not read; new fields are simply added. */
const VERSION = 1;
/** Recent durations kept per task. */
const KEPT_DURATIONS = 10;
/** Successes are appended to the journal at most this long after they happen: a killed run loses no more. */
const JOURNAL_MS = 50;

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

/**
 * The state kept in `.mity/state.json` beside the root mityfile. A damaged or foreign file is a
 * warning and a full run. Successes are appended to `state.journal` as they happen, so a run that is
 * killed keeps what it finished; the end of a run folds the journal into the state file. Saving merges
 * with what another run may have written meanwhile, and replaces the file in one rename, so a crash or
 * an overlapping run never leaves half a file.
 */
export class StateStore {
  readonly #path: string;
  readonly #journal: string;
  /** Marks this run's journal lines, which its own save need not read back. */
  readonly #runId = Math.random().toString(36).slice(2);
  #tasks: Record<string, TaskRecord>;
  readonly #changed = new Set<string>();
  /** Tasks whose success is not in the journal yet (written as lines only then), and the timer that writes them. */
  #pending = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The file on disk needs rewriting even if this run records nothing: it was damaged, or a journal is left. */
  #rewrite: boolean;
  readonly warning: string | undefined;

  private constructor(dir: string, loaded: { tasks: Record<string, TaskRecord>; rewrite: boolean; warning?: string | undefined }) {
    this.#path = join(dir, "state.json");
    this.#journal = join(dir, "state.journal");
    this.#tasks = loaded.tasks;
    this.#rewrite = loaded.rewrite;
    this.warning = loaded.warning;
  }

  static load(root: string): StateStore {
    const folder = mityFolder(root);
    const path = join(folder.dir, "state.json");
    const read = readState(path, VERSION);
    const journal = read.newer ? undefined : readJournal(join(folder.dir, "state.journal"));
    if (journal) Object.assign(read.tasks, journal);
    const warning = [folder.note, read.warning].filter(Boolean).join("; ") || undefined;
    return new StateStore(folder.dir, { tasks: read.tasks, rewrite: (read.warning !== undefined && !read.newer) || journal !== undefined, warning });
  }

  get(task: string): TaskRecord | undefined {
    return this.#tasks[task];
  }

  /** Records a success; the previous durations carry over. It reaches the journal within JOURNAL_MS. */
  set(task: string, record: Omit<TaskRecord, "durations">, duration: number | undefined): void {
    const durations = [...(this.#tasks[task]?.durations ?? []), ...(duration === undefined ? [] : [duration])].slice(-KEPT_DURATIONS);
    const full = { ...record, ...(durations.length ? { durations } : {}) };
    this.#tasks[task] = full;
    this.#changed.add(task);
    this.#pending.add(task);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), JOURNAL_MS);
      this.#timer.unref?.();
    }
  }

  /** The typical (median) recent duration of a task, if any was recorded. */
  duration(task: string): number | undefined {
    const durations = this.#tasks[task]?.durations;
    if (!durations?.length) return undefined;
    return [...durations].sort((a, b) => a - b)[Math.floor(durations.length / 2)];
  }

  /** Appends the waiting successes to the journal; one that cannot be written is left to `save` to report. */
  #flush(): boolean {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return true;
    try {
      this.#prepareFolder();
      let lines = "";
      for (const task of this.#pending) lines += `${this.#runId} ${JSON.stringify([task, this.#tasks[task]])}\n`;
      appendFileSync(this.#journal, lines);
      this.#pending.clear();
      return true;
    } catch {
      return false;
    }
  }

  #prepareFolder(): void {
    const dir = join(this.#path, "..");
    mkdirSync(dir, { recursive: true });
    ignoreItself(dir);
  }

  /** Folds the journal and what this run changed into the state file; returns a warning when it cannot. */
  save(): string | undefined {
    if (this.#changed.size === 0 && !this.#rewrite) return undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    let taken: string | undefined;
    const lock = `${this.#path}.lock`;
    try {
      this.#prepareFolder();
      const result = lockFile(lock);
      if (typeof result !== "string") {
        const kept = this.#flush() ? `; this run's results are kept in ${this.#journal} for the next run` : "; the next run will not know what this one did";
        return `cannot save ${this.#path}: ${result.message}${kept}`;
      }
      taken = result;
      this.#fold();
      return undefined;
    } catch (error) {
      return `cannot save ${this.#path}: ${(error as Error).message}; the next run will not know what this one did`;
    } finally {
      if (taken !== undefined) unlock(lock, taken);
    }
  }

  /** With the lock held: the file on disk, then every run's journal lines, then this run's records, in one rename. */
  #fold(): void {
    const onDisk = readState(this.#path, VERSION);
    // A newer mity's file is left as it is: its records are not ours to drop.
    if (onDisk.newer) throw new Error(`it belongs to a newer mity; this run's results were not saved`);
    // Lines other runs append from now on go to a new journal, which the next save folds.
    const folding = `${this.#journal}.${process.pid}.folding`;
    let journal: Record<string, TaskRecord> | undefined;
    try {
      renameSync(this.#journal, folding);
      journal = readJournal(folding, this.#runId);
    } catch {
      // No journal: nothing was appended since the last save.
    }
    const current = { ...onDisk.tasks, ...journal };
    for (const task of this.#changed) current[task] = this.#tasks[task]!;
    const file: StateFile = { format: "mity-state", version: VERSION, tasks: current };
    writeAtomically(this.#path, JSON.stringify(file));
    rmSync(folding, { force: true });
    this.#pending.clear();
    this.#changed.clear();
    this.#rewrite = false;
  }
}

/** How long a save waits for another run's save: far longer than any save takes. */
const LOCK_WAIT_MS = 10_000;

/**
 * Takes the state's lock file, so that the read-merge-rename of two overlapping runs happens one after
 * the other and neither loses what the other wrote. A lock whose holder is gone (killed during a save)
 * is taken over at once. Returns the text to release it with, or why it could not be taken.
 */
function lockFile(path: string): string | Error {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const me = ownHolder();
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const result = tryLock(path, me);
    if ("taken" in result) return result.taken;
    // Held by this very process (another store of it): waiting here would only block its release.
    if (result.holder?.pid === process.pid || Date.now() > deadline) return new Error(heldMessage(path, result.holder));
    Atomics.wait(sleeper, 0, 0, 5);
  }
}

const heldMessage = (path: string, holder: Holder | undefined) =>
  `${path} is held by ${holder ? `mity pid ${holder.pid}` : "another mity"}, which is still running, for more than ${LOCK_WAIT_MS / 1000} s`;
