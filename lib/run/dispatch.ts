import type { TaskNode } from "../graph/graph.js";
import type { TaskStop } from "./stop.js";
import { doWork, type WorkContext, type WorkOutcome } from "./work.js";

/**
 * Where a task's own work is done once its deps are done and its gates passed: in this process (the
 * local dispatcher, `doWork`) or elsewhere (a pool's worker). A dispatcher emits the task's `start` (with
 * `attempt` when `attempt > 1` or the task has `retries`), its output through `context.emit`, and gives
 * its outcome back, at once or as a promise that never rejects. It ends the work soon after `stop` is
 * stopped, saying the stop's cause and reason (see work.ts `stopped()`). The scheduler keeps the timeout,
 * the retries and the failure policy: it never knows where a task ran.
 */
export interface Dispatcher {
  /** Whether the work takes one of the run's `-j` slots: work done elsewhere is bounded there. */
  readonly local: boolean;
  run(task: TaskNode, context: WorkContext, stop: TaskStop, attempt: number): WorkOutcome | Promise<WorkOutcome>;
}

/** Runs a task in this process. */
export const localDispatcher: Dispatcher = { local: true, run: doWork };
