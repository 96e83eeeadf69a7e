import type { EndEvent, MityEvent, StartEvent } from "../run/events.js";
import type { TaskState } from "../types.js";
import { RECORD_FORMAT, type RunRecord, type StoredRun, type TaskRecord } from "./run-record.js";
import { taskColumns } from "./task-columns.js";

/** Output lines kept per failed task for the report. */
export const TAIL_LINES = 200;

/** Fields that events of pooled or retried tasks carry. */
type Placement = { attempt?: number; pool?: string; worker?: string };

export interface RecorderOptions {
  id: string;
  asked: RunRecord["asked"];
  version: string;
  /** A task's deps (full names), and whether it has work of its own (a group task never starts). */
  taskOf: (task: string) => { deps: readonly string[]; works: boolean };
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
    // Deps that were not part of the run are left out as the columns are made.
    const tasks = taskColumns(rows.records(options.taskOf));
    // A run that ended without its summary (it threw, or the process is going down) is told as interrupted.
    const ending = summary ?? { state: "interrupted" as const, duration: last, counts: countStates(tasks.state) };
    return { format: RECORD_FORMAT, id: options.id, startedAt, asked: options.asked, ...ending, ...(revision ? { revision } : {}), version: options.version, tasks };
  };
  return { sink, record };
}

/**
 * What the run's tasks did: their ends as they came, made into a record per task (in the order they first
 * ended, the last end of each counting) once the run is over. A task's start is its end less its
 * duration; a start is kept only for a task run more than once or by a worker. While the run goes, an
 * end costs one push: the code of a short run is not yet optimised, and every step a task takes counts.
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

  /** A record per task, by its last end; no times for a task that never started. */
  records(taskOf: RecorderOptions["taskOf"]): TaskRecord[] {
    const records = new Map<string, TaskRecord>();
    for (const end of this.#ends) records.set(end.task, this.#record(end, taskOf(end.task)));
    return [...records.values()];
  }

  #record(end: EndEvent & Placement, { deps, works }: ReturnType<RecorderOptions["taskOf"]>): TaskRecord {
    const started = this.#starts.get(end.task);
    const task: TaskRecord = { name: end.task, state: end.state, deps, duration: end.duration };
    // A group task, or one up to date or skipped, ends without starting.
    if (started || (works && STARTED.has(end.state))) {
      task.start = started?.time ?? end.time - end.duration;
      task.end = end.time;
    }
    if (end.exitCode !== undefined) task.exitCode = end.exitCode;
    if (end.reason !== undefined) task.reason = end.reason;
    // A worker's attempts may not all have started here: the end names the last.
    const attempts = Math.max(started?.count ?? 1, end.attempt ?? 1);
    if (attempts > 1) task.attempts = attempts;
    const pool = end.pool ?? started?.pool;
    const worker = end.worker ?? started?.worker;
    if (pool !== undefined) task.pool = pool;
    if (worker !== undefined) task.worker = worker;
    const tail = this.#tails.get(end.task);
    if (tail) task.tail = tail;
    return task;
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
