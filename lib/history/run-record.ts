import type { RunState } from "../run/events.js";
import type { TaskState } from "../types.js";
import type { TaskColumns } from "./task-columns.js";

/** Bumped when a field changes meaning; readers skip files of a format they do not know. Format 1 kept an object per task. */
export const RECORD_FORMAT = 2;

/** How one task of a recorded run went. Times are milliseconds since the run started: the run's `startedAt` plus `start` is the wall-clock time. */
export interface TaskRecord {
  name: string;
  state: TaskState;
  /** Its deps that were part of the run. */
  deps: readonly string[];
  start?: number;
  end?: number;
  duration: number;
  exitCode?: number;
  reason?: string;
  /** How many times it started (more than one with `retries`). */
  attempts?: number;
  pool?: string;
  worker?: string;
  /** A failed task's last output lines (already masked as every event is). */
  tail?: string[];
}

/** One run, a record per task. */
export interface RunRecord {
  format: typeof RECORD_FORMAT;
  id: string;
  /** When the run started (ms since the epoch). */
  startedAt: number;
  /** The task names as typed and the options that change what runs. */
  asked: { tasks: string[]; options: string[] };
  state: RunState;
  duration: number;
  counts: Partial<Record<TaskState, number>>;
  /** `git rev-parse HEAD` of the project, when it is a git repository. */
  revision?: string;
  version: string;
  tasks: TaskRecord[];
}

/** One run as `.mity/runs/<id>.json` keeps it: its tasks in columns. */
export type StoredRun = Omit<RunRecord, "tasks"> & { tasks: TaskColumns };
