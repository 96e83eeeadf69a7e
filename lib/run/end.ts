import type { TaskOutcome } from "../types.js";
import type { EndEvent } from "./events.js";
import type { WorkOutcome } from "./work.js";

// The common end says no more than its state: built without spreads, which cost more than a no-op task.
const isPlain = (outcome: WorkOutcome) =>
  outcome.exitCode === undefined && outcome.reason === undefined && outcome.attempt === undefined && outcome.pool === undefined && outcome.worker === undefined;

/** The `end` event of a task's work: what the outcome says, in a fixed order, `time` last. */
export function endEvent(task: string, outcome: WorkOutcome, time: number): EndEvent {
  if (isPlain(outcome)) return { event: "end", task, state: outcome.state, duration: outcome.duration, time };
  const { state, duration, exitCode, reason, stack, attempt, pool, worker } = outcome;
  return {
    event: "end", task, state, duration,
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(reason === undefined ? {} : { reason }),
    ...(stack === undefined ? {} : { stack }),
    ...(attempt === undefined ? {} : { attempt }),
    ...(pool === undefined ? {} : { pool }),
    ...(worker === undefined ? {} : { worker }),
    time,
  };
}

/** The task's line in the run's result. */
export function outcomeOf(task: string, outcome: WorkOutcome): TaskOutcome {
  return isPlain(outcome) && outcome.error === undefined ? { name: task, state: outcome.state, duration: outcome.duration } : { name: task, ...outcome };
}
