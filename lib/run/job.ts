import type { TaskNode } from "../graph/graph.js";
import type { TaskOutcome } from "../types.js";
import type { Dispatcher } from "./dispatch.js";

/** Where a job is: requested or not, waiting for its deps, GOING once they are done (checks, gates, a slot, its work), DONE once ended. */
export const IDLE = 0;
export const WAITING = 1;
export const DONE = 2;
export const GOING = 3;
export type Phase = typeof IDLE | typeof WAITING | typeof DONE | typeof GOING;

/** A task of the run (or the run itself, whose deps are the requested tasks): every job has this one shape. */
export class Job {
  phase: Phase = IDLE;
  /** Deps being waited for when they run at the same time; -1 until they are requested. */
  pending = -1;
  /** The dep waited for when deps run one after another. */
  next = 0;
  /** Jobs to move on once this one is done. */
  waiters: Job[] | undefined = undefined;
  outcome: TaskOutcome | undefined = undefined;
  /** Lets the next task through the task's lock or the terminal. */
  leave: (() => void) | undefined = undefined;
  /** Who does its work; undefined for this process. */
  dispatcher: Dispatcher | undefined = undefined;
  /** Attempts started so far. */
  attempt = 0;
  /** Goes back to waiting for its deps instead of going on (see restarts.ts). */
  restarting = false;

  constructor(
    /** Undefined for the run itself. */
    readonly task: TaskNode | undefined,
    readonly deps: readonly string[],
    readonly concurrent: boolean,
  ) {}
}
