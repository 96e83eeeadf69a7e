import type { TaskState } from "../types.js";
import type { TaskRecord } from "./run-record.js";

/**
 * A run's tasks as its file keeps them: a column per field and a row per task, null where a task has
 * no value. Arrays of plain values are written and read several times faster than an object per task,
 * and take a third of the room: a run of 10,000 tasks is kept in a few milliseconds.
 */
export interface TaskColumns {
  name: string[];
  state: TaskState[];
  duration: number[];
  start: (number | null)[];
  end: (number | null)[];
  exitCode: (number | null)[];
  reason: (string | null)[];
  attempts: (number | null)[];
  /** For each task with deps in the run: its row, then its deps' rows. */
  deps: number[][];
  /** Fields few tasks have, by row. */
  pool: Record<number, string>;
  worker: Record<number, string>;
  tail: Record<number, string[]>;
}

/** The rows as records, one object per task. */
export function taskRecords(columns: TaskColumns): TaskRecord[] {
  const tasks = columns.name.map((name, row) => {
    const task: TaskRecord = { name, state: columns.state[row]!, deps: [], duration: columns.duration[row]! };
    const { start, end, exitCode, reason, attempts } = columns;
    if (start[row] != null) task.start = start[row]!;
    if (end[row] != null) task.end = end[row]!;
    if (exitCode[row] != null) task.exitCode = exitCode[row]!;
    if (reason[row] != null) task.reason = reason[row]!;
    if (attempts[row] != null) task.attempts = attempts[row]!;
    if (columns.pool[row] !== undefined) task.pool = columns.pool[row];
    if (columns.worker[row] !== undefined) task.worker = columns.worker[row];
    if (columns.tail[row] !== undefined) task.tail = columns.tail[row];
    return task;
  });
  for (const [row, ...deps] of columns.deps) tasks[row!]!.deps = deps.map((dep) => columns.name[dep]!);
  return tasks;
}

/** Records as columns: what `taskRecords` reads back. Deps that are not records themselves are left out. */
export function taskColumns(tasks: readonly TaskRecord[]): TaskColumns {
  const rows = new Map<string, number>();
  for (let row = 0; row < tasks.length; row++) rows.set(tasks[row]!.name, row);
  const columns = emptyColumns(tasks.length);
  for (let row = 0; row < tasks.length; row++) {
    const task = tasks[row]!;
    columns.name[row] = task.name;
    columns.state[row] = task.state;
    columns.duration[row] = task.duration;
    columns.start[row] = task.start ?? null;
    columns.end[row] = task.end ?? null;
    columns.exitCode[row] = task.exitCode ?? null;
    columns.reason[row] = task.reason ?? null;
    columns.attempts[row] = task.attempts ?? null;
    const line = depsLine(row, task.deps, rows);
    if (line) columns.deps.push(line);
    if (task.pool !== undefined) columns.pool[row] = task.pool;
    if (task.worker !== undefined) columns.worker[row] = task.worker;
    if (task.tail !== undefined) columns.tail[row] = task.tail;
  }
  return columns;
}

/**
 * Columns of `rows` rows, each array sized once. A run's record is made once, at its end, by code not yet
 * optimised: what it allocates (arrays grown push by push, an object per task) it pays for in garbage collection.
 */
export function emptyColumns(rows: number): TaskColumns {
  const column = <T>() => new Array<T>(rows);
  return { name: column(), state: column(), duration: column(), start: column(), end: column(), exitCode: column(), reason: column(), attempts: column(), deps: [], pool: {}, worker: {}, tail: {} };
}

/** A task's row then its deps' rows; undefined when none of its deps is in the run. */
export function depsLine(row: number, deps: readonly string[], rows: ReadonlyMap<string, number>): number[] | undefined {
  // Counted first, so the line is made at its size: an array grown by push reserves room for 16 more.
  let found = 0;
  for (let at = 0; at < deps.length; at++) if (rows.has(deps[at]!)) found++;
  if (found === 0) return undefined;
  const line = new Array<number>(found + 1);
  line[0] = row;
  for (let at = 0, next = 1; at < deps.length; at++) {
    const depRow = rows.get(deps[at]!);
    if (depRow !== undefined) line[next++] = depRow;
  }
  return line;
}
