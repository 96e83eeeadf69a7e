import type { EndEvent, MityEvent, StartEvent } from "../run/events.js";
import type { TaskState } from "../types.js";
import { RECORD_FORMAT, type RunRecord, type TaskRecord } from "./run-record.js";

/** Output lines kept per failed task for the report. */
export const TAIL_LINES = 200;

/** Fields that events of pooled or retried tasks carry. */
type Placement = { attempt?: number; pool?: string; worker?: string };

export interface RecorderOptions {
  id: string;
  asked: RunRecord["asked"];
  version: string;
  /** A task's deps, full names. */
  depsOf: (task: string) => readonly string[];
  /** The wall clock, ms since the epoch. */
  now: () => number;
}

/** Builds a run's record from its events; `record()` is undefined when no task started. */
export function createRecorder(options: RecorderOptions): { sink: (event: MityEvent) => void; record: (revision?: string) => RunRecord | undefined } {
  const rows = new TaskRows();
  // Lines are kept for every task while it runs; only a failed one's survive its end.
  const lines = new Map<string, string[]>();
  let startedAt: number | undefined;
  let summary: { state: RunRecord["state"]; duration: number; counts: RunRecord["counts"] } | undefined;
  let last = 0;
  const end = (event: EndEvent & Placement) => {
    const row = rows.end(event);
    const tail = lines.get(event.task);
    if (tail === undefined) return;
    if (event.state === "failed") rows.tails.set(row, tail.slice(-TAIL_LINES));
    lines.delete(event.task);
  };
  const sink = (event: MityEvent) => {
    if (event.event === "output") keepLine(lines, event.task, event.line);
    else if (event.event === "start") (startedAt ??= options.now() - event.time), rows.start(event);
    else if (event.event === "end") end(event);
    else if (event.event === "summary") summary = { state: event.state, duration: event.duration, counts: event.counts };
    if (event.event !== "summary") last = event.time;
  };
  const record = (revision?: string): RunRecord | undefined => {
    if (startedAt === undefined) return undefined;
    const list = rows.records(options.depsOf);
    // A run that ended without its summary (it threw, or the process is going down) is told as interrupted.
    const ending = summary ?? { state: "interrupted" as const, duration: last, counts: countStates(list) };
    return { format: RECORD_FORMAT, id: options.id, startedAt, asked: options.asked, ...ending, ...(revision ? { revision } : {}), version: options.version, tasks: list };
  };
  return { sink, record };
}

/**
 * What the run's tasks did, a column per field and a row per task in the order they were first seen.
 * No object per task is kept while the run goes: on a run of 10,000 tasks, 10,000 small objects kept
 * alive until the end cost more in garbage collection than the tasks themselves.
 */
class TaskRows {
  readonly #rows = new Map<string, number>();
  readonly names: string[] = [];
  readonly states: TaskState[] = [];
  /** Of the first attempt; undefined for a task that never started. */
  readonly starts: (number | undefined)[] = [];
  readonly ends: (number | undefined)[] = [];
  readonly durations: number[] = [];
  readonly exitCodes: (number | undefined)[] = [];
  readonly reasons: (string | undefined)[] = [];
  readonly attempts: (number | undefined)[] = [];
  /** Rare fields, by row. */
  readonly places = new Map<number, { pool?: string; worker?: string }>();
  readonly tails = new Map<number, string[]>();

  start(event: StartEvent & Placement): void {
    const known = this.#rows.get(event.task);
    if (known === undefined) return void this.#place(this.#add(event.task, event.time), event);
    if (this.starts[known] === undefined) this.starts[known] = event.time;
    else this.attempts[known] = (this.attempts[known] ?? 1) + 1;
    this.#place(known, event);
  }

  end(event: EndEvent & Placement): number {
    const row = this.#rows.get(event.task) ?? this.#add(event.task, undefined);
    this.states[row] = event.state;
    this.durations[row] = event.duration;
    if (this.starts[row] !== undefined) this.ends[row] = event.time;
    if (event.exitCode !== undefined) this.exitCodes[row] = event.exitCode;
    if (event.reason !== undefined) this.reasons[row] = event.reason;
    // A worker's attempts may not all have started here: the end names the last.
    if (event.attempt !== undefined && event.attempt > (this.attempts[row] ?? 1)) this.attempts[row] = event.attempt;
    this.#place(row, event);
    return row;
  }

  /** The rows as records, deps limited to the tasks of the run. */
  records(depsOf: (task: string) => readonly string[]): TaskRecord[] {
    return this.names.map((name, row) => {
      const deps = depsOf(name);
      const task: TaskRecord = { name, state: this.states[row]!, deps: deps.length === 0 ? [] : deps.filter((dep) => this.#rows.has(dep)), duration: this.durations[row]! };
      if (this.starts[row] !== undefined) task.start = this.starts[row];
      if (this.ends[row] !== undefined) task.end = this.ends[row];
      if (this.exitCodes[row] !== undefined) task.exitCode = this.exitCodes[row];
      if (this.reasons[row] !== undefined) task.reason = this.reasons[row];
      if (this.attempts[row] !== undefined) task.attempts = this.attempts[row];
      Object.assign(task, this.places.get(row));
      const tail = this.tails.get(row);
      if (tail) task.tail = tail;
      return task;
    });
  }

  #add(name: string, start: number | undefined): number {
    const row = this.names.length;
    this.#rows.set(name, row);
    this.names.push(name);
    // A task's first event is its start or its end: until its end, it is taken to have gone well.
    this.states.push("ok");
    this.starts.push(start);
    this.ends.push(undefined);
    this.durations.push(0);
    this.exitCodes.push(undefined);
    this.reasons.push(undefined);
    this.attempts.push(undefined);
    return row;
  }

  #place(row: number, event: Placement): void {
    if (event.pool === undefined && event.worker === undefined) return;
    const place = this.places.get(row) ?? {};
    if (event.pool !== undefined) place.pool = event.pool;
    if (event.worker !== undefined) place.worker = event.worker;
    this.places.set(row, place);
  }
}

/** Keeps a task's recent lines: trimmed in batches, so a chatty task costs one push a line. */
function keepLine(lines: Map<string, string[]>, task: string, line: string): void {
  let kept = lines.get(task);
  if (!kept) lines.set(task, (kept = []));
  kept.push(line);
  if (kept.length >= TAIL_LINES * 2) kept.splice(0, kept.length - TAIL_LINES);
}

function countStates(tasks: readonly TaskRecord[]): RunRecord["counts"] {
  const counts: RunRecord["counts"] = {};
  for (const task of tasks) counts[task.state] = (counts[task.state] ?? 0) + 1;
  return counts;
}
