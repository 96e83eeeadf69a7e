import type { EndEvent, MityEvent, StartEvent } from "../run/events.js";
import type { TaskState } from "../types.js";
import { RECORD_FORMAT, type RunRecord, type StoredRun } from "./run-record.js";
import { depsLine, emptyColumns, type TaskColumns } from "./task-columns.js";

/** Output lines kept per failed task for the report. */
export const TAIL_LINES = 200;

/** Fields that events of pooled or retried tasks carry. */
type Placement = { attempt?: number; pool?: string; worker?: string };

export interface RecorderOptions {
  id: string;
  asked: RunRecord["asked"];
  version: string;
  /** The graph's tasks: their deps (full names), and whether each has work of its own (a group task never starts). */
  tasks: ReadonlyMap<string, { readonly deps: readonly string[]; readonly run?: unknown }>;
  /** The wall clock, ms since the epoch. */
  now: () => number;
}

/** Builds a run's record from its events; `record()` is undefined when no task started. */
export function createRecorder(options: RecorderOptions): { sink: (event: MityEvent) => void; record: (revision?: string) => StoredRun | undefined } {
  const rows = new TaskRows();
  // Lines are kept for every task while it runs; only a failed one's survive its end.
  const lines = new Map<string, string[]>();
  let startedAt: number | undefined;
  let summary: { state: RunRecord["state"]; duration: number; counts: RunRecord["counts"] } | undefined;
  let last = 0;
  const end = (event: EndEvent & Placement) => {
    const tail = lines.get(event.task);
    if (tail !== undefined) lines.delete(event.task);
    rows.end(event, tail !== undefined && event.state === "failed" ? tail.slice(-TAIL_LINES) : undefined);
  };
  const sink = (event: MityEvent) => {
    if (event.event === "output") keepLine(lines, event.task, event.line);
    else if (event.event === "start") (startedAt ??= options.now() - event.time), rows.start(event);
    else if (event.event === "end") end(event);
    else if (event.event === "summary") summary = { state: event.state, duration: event.duration, counts: event.counts };
    if (event.event !== "summary") last = event.time;
  };
  const record = (revision?: string): StoredRun | undefined => {
    if (startedAt === undefined) return undefined;
    const tasks = rows.columns(options.tasks);
    // A run that ended without its summary (it threw, or the process is going down) is told as interrupted.
    const ending = summary ?? { state: "interrupted" as const, duration: last, counts: countStates(tasks.state) };
    return { format: RECORD_FORMAT, id: options.id, startedAt, asked: options.asked, ...ending, ...(revision ? { revision } : {}), version: options.version, tasks };
  };
  return { sink, record };
}

/**
 * What the run's tasks did: their ends as they came, made into columns (a row per task, in the order they
 * first ended, by the last end of each) once the run is over. A task's start is its end less its
 * duration; a start is kept only for a task run more than once or by a worker. While the run goes, an end
 * costs one push; at the end, nothing is made per task but its row: what a short run allocates it pays
 * for in garbage collection, on code not yet optimised.
 */
class TaskRows {
  readonly #ends: (EndEvent & Placement)[] = [];
  /** First starts of the tasks whose start events say more than the time (an attempt, a pool). */
  readonly #starts = new Map<string, { time: number; count: number; pool?: string; worker?: string }>();
  /** The last lines of the tasks whose last end was a failure. */
  readonly #tails = new Map<string, string[]>();

  start(event: StartEvent & Placement): void {
    const placed = event.attempt !== undefined || event.pool !== undefined || event.worker !== undefined;
    // Most tasks start once, and no more is said: their end tells their start.
    if (!placed && this.#starts.size === 0) return;
    let known = this.#starts.get(event.task);
    if (!known) {
      if (!placed) return;
      this.#starts.set(event.task, (known = { time: event.time, count: 0 }));
    }
    known.count++;
    if (event.pool !== undefined) known.pool = event.pool;
    if (event.worker !== undefined) known.worker = event.worker;
  }

  end(event: EndEvent & Placement, tail: string[] | undefined): void {
    this.#ends.push(event);
    if (tail) this.#tails.set(event.task, tail);
    else if (this.#tails.size > 0) this.#tails.delete(event.task);
  }

  /** The tasks' columns, by the last end of each; no times for a task that never started. */
  columns(tasks: RecorderOptions["tasks"]): TaskColumns {
    const { rows, ends } = this.#lastEnds();
    const columns = emptyColumns(ends.length);
    for (let row = 0; row < ends.length; row++) {
      const end = ends[row]!;
      const task = tasks.get(end.task);
      this.#fill(columns, row, end, task?.run !== undefined);
      // Deps that were not part of the run are left out.
      const line = task && depsLine(row, task.deps, rows);
      if (line) columns.deps.push(line);
    }
    return columns;
  }

  // Each task's last end, in the order tasks first ended, and the row of each task.
  #lastEnds(): { rows: Map<string, number>; ends: (EndEvent & Placement)[] } {
    const rows = new Map<string, number>();
    const ends: (EndEvent & Placement)[] = [];
    for (const end of this.#ends) {
      const row = rows.get(end.task);
      if (row === undefined) rows.set(end.task, ends.push(end) - 1);
      else ends[row] = end;
    }
    return { rows, ends };
  }

  #fill(columns: TaskColumns, row: number, end: EndEvent & Placement, works: boolean): void {
    const started = this.#starts.size > 0 ? this.#starts.get(end.task) : undefined;
    columns.name[row] = end.task;
    columns.state[row] = end.state;
    columns.duration[row] = end.duration;
    // A group task, or one up to date or skipped, ends without starting.
    const timed = started !== undefined || (works && STARTED.has(end.state));
    columns.start[row] = timed ? (started?.time ?? end.time - end.duration) : null;
    columns.end[row] = timed ? end.time : null;
    columns.exitCode[row] = end.exitCode ?? null;
    columns.reason[row] = end.reason ?? null;
    // A worker's attempts may not all have started here: the end names the last.
    const attempts = Math.max(started?.count ?? 1, end.attempt ?? 1);
    columns.attempts[row] = attempts > 1 ? attempts : null;
    const pool = end.pool ?? started?.pool;
    const worker = end.worker ?? started?.worker;
    if (pool !== undefined) columns.pool[row] = pool;
    if (worker !== undefined) columns.worker[row] = worker;
    const tail = this.#tails.size > 0 ? this.#tails.get(end.task) : undefined;
    if (tail) columns.tail[row] = tail;
  }
}

/** States a task with work of its own ends in once it started. */
const STARTED: ReadonlySet<TaskState> = new Set(["ok", "failed", "cancelled"]);

/** Keeps a task's recent lines: trimmed in batches, so a chatty task costs one push a line. */
function keepLine(lines: Map<string, string[]>, task: string, line: string): void {
  let kept = lines.get(task);
  if (!kept) lines.set(task, (kept = []));
  kept.push(line);
  if (kept.length >= TAIL_LINES * 2) kept.splice(0, kept.length - TAIL_LINES);
}

function countStates(states: readonly TaskState[]): RunRecord["counts"] {
  const counts: RunRecord["counts"] = {};
  for (const state of states) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}
