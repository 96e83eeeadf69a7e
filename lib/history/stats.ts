import type { TaskState } from "../types.js";
import type { RunRecord } from "./run-record.js";

/** One run's outcome of one task. */
export interface TaskOutcomeRecord {
  run: string;
  startedAt: number;
  state: TaskState;
  duration: number;
  exitCode?: number;
  reason?: string;
  attempts?: number;
}

/** The `p`th percentile (0-100) of some numbers, by nearest rank; undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** A task's outcomes in the given runs (newest first, as given), and p50/p95 of the durations of its successful runs. */
export function taskHistory(records: readonly RunRecord[], task: string) {
  const outcomes: TaskOutcomeRecord[] = [];
  for (const record of records) {
    const found = record.tasks.find((entry) => entry.name === task);
    if (!found) continue;
    const { state, duration, exitCode, reason, attempts } = found;
    outcomes.push({ run: record.id, startedAt: record.startedAt, state, duration, ...defined({ exitCode, reason, attempts }) });
  }
  // Failed and stopped runs end early: only a success tells how long the work takes.
  const durations = outcomes.filter((outcome) => outcome.state === "ok").map((outcome) => outcome.duration);
  return { task, outcomes, ok: durations.length, p50: percentile(durations, 50), p95: percentile(durations, 95) };
}

/** Whether a name appears in any of the runs. */
export function recordedTask(records: readonly RunRecord[], task: string): boolean {
  return records.some((record) => record.tasks.some((entry) => entry.name === task));
}

function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
