import type { Graph, TaskNode } from "../graph/graph.js";
import { selectTasks } from "../graph/plan.js";
import type { StateStore } from "../state/store.js";
import type { TaskOutcome, TaskState } from "../types.js";
import { Admission } from "./admission.js";
import { Attempts, type AttemptEnds } from "./attempts.js";
import type { Dispatcher } from "./dispatch.js";
import { endEvent, outcomeOf } from "./end.js";
import { taskEnvironments } from "./environment.js";
import type { EventSink, RunState } from "./events.js";
import type { OutputGate } from "./flow.js";
import { Gates } from "./gates.js";
import { Job } from "./job.js";
import { Loop } from "./loop.js";
import { remainingPaths } from "./priority.js";
import { ProjectLocks } from "./project-locks.js";
import { Readiness } from "./readiness.js";
import { Restarts } from "./restarts.js";
import { RunMemory } from "./run-memory.js";
import { TaskStop } from "./stop.js";
import { Stopping } from "./stopping.js";
import { openGuard, strayMessage, type ProcessHost } from "./stray-errors.js";
import { Walk, type WalkEnds } from "./walk.js";
import { Watchdog } from "./watchdog.js";
import type { RunSettings } from "./settings.js";
import type { WorkContext, WorkOutcome } from "./work.js";

/** What a run is given: its settings (normalised by the caller), the graph, and the run's seams. */
export interface ScheduleOptions extends RunSettings {
  graph: Graph;
  /** Full names of the requested tasks, in the order given. */
  names: readonly string[];
  /** The environment every task starts from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted to interrupt the run: nothing new starts and running tasks are stopped. */
  signal?: AbortSignal | undefined;
  /** Aborted to kill running tasks at once, without the grace period. */
  killSignal?: AbortSignal | undefined;
  emit: EventSink;
  /** Held while the run's output cannot be taken (a slow reader): commands' pipes wait meanwhile. */
  flow?: OutputGate | undefined;
  /** Param values of each selected task (defaults included). */
  params?: ReadonlyMap<string, Readonly<Record<string, unknown>>> | undefined;
  /** Answer yes to every `confirm`. */
  yes?: boolean | undefined;
  /** Asks a task's `confirm` question; absent when nobody can answer (no terminal). */
  confirm?: ((task: string, question: string) => Promise<boolean>) | undefined;
  /** Staged files, for runs started by a git hook. */
  staged?: readonly string[] | undefined;
  /** Extra environment for every task (e.g. `MITY_STAGED_FILES`). */
  extraEnv?: Readonly<Record<string, string>> | undefined;
  /** Variables added to one task's environment, asked for once its work has started. */
  taskEnv?: ((task: string) => Readonly<Record<string, string>>) | undefined;
  /** A reason to skip a task whose deps succeeded, or undefined to go on. */
  skip?: ((task: TaskNode) => string | undefined) | undefined;
  /** What earlier runs left: makes tracked tasks up to date, and is updated by this run. */
  state?: StateStore | undefined;
  /** Tasks run even when up to date: these, or all. */
  force?: ReadonlySet<string> | "all" | undefined;
  /** Called before an interactive task starts, to clear the terminal for it; returns how to take it back. */
  beforeInteractive?: (() => Promise<() => void>) | undefined;
  /** Milliseconds since the run started. */
  now: () => number;
  /**
   * The process whose unhandled errors and `process.exit()` the run takes over while it runs (see
   * stray-errors.ts), and where it says why the run failed when no running task could take one.
   */
  guard?: { host: ProcessHost; onError: (message: string) => void } | undefined;
  /** Receives warnings about the run as a whole (out of file descriptors). */
  onWarning?: ((message: string) => void) | undefined;
  /** Who does a task's work: undefined (or no function) for this process, in one of the run's slots. */
  dispatcherFor?: ((task: TaskNode) => Dispatcher | undefined) | undefined;
}

/** A run in progress. */
export interface ScheduleHandle {
  result: Promise<RunResult>;
  /**
   * Runs the named tasks again, and then their dependents that already ended: a running one is stopped
   * (its end says "restarted: <reason>") and started afresh. False once the run has ended.
   */
  restart(names: readonly string[], reason: string): boolean;
  /** The run fails for a reason outside its tasks (a service they need died): these running tasks are stopped, and nothing new starts unless --keep-going. */
  fail(reason: string, stop: readonly string[]): void;
}

export interface RunResult {
  state: RunState;
  duration: number;
  tasks: TaskOutcome[];
}

const EMPTY_COUNTS = (): Record<TaskState, number> => ({ ok: 0, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0 });

/**
 * Runs the requested tasks and their deps. Each task runs at most once, after its deps (unless
 * restarted); a task waiting for deps holds no slot. The core moves tasks on with plain callbacks, one
 * loop and no promise per task: a run function that returns no promise starts and ends within one turn
 * of the event loop, and only what is really asynchronous (commands, async functions, checks, prompts,
 * locks) waits for one.
 */
export function schedule(options: ScheduleOptions): Promise<RunResult> {
  return startSchedule(options).result;
}

/** Starts a run as `schedule` does, and gives a handle to restart tasks while it runs (watch mode). */
export function startSchedule(options: ScheduleOptions): ScheduleHandle {
  const run = new Run(options);
  return { result: run.result, restart: (names, reason) => run.restart(names, reason), fail: (reason, stop) => run.stopping.lost(reason, stop) };
}

/**
 * A run in progress: its parts, and what passes between them. A job goes from the walk (walk.ts) to
 * readiness (readiness.ts), admission (admission.ts) and its attempts (attempts.ts), and back to the walk
 * when it ends; stopping.ts decides when nothing new starts, restarts.ts sends jobs back, loop.ts drives it all.
 */
class Run implements WalkEnds, AttemptEnds {
  readonly plan: readonly TaskNode[];
  readonly stopping: Stopping;
  readonly loop: Loop;
  readonly walk: Walk;
  readonly memory: RunMemory;
  readonly admission: Admission;
  readonly attempts: Attempts;
  readonly readiness: Readiness;
  readonly root: Job;
  readonly restarts: Restarts;
  readonly result: Promise<RunResult>;
  readonly #watchdog = new Watchdog();
  #closeGuard: (() => void) | undefined = undefined;
  #over = false;
  #resolve!: (result: RunResult) => void;
  #reject!: (error: unknown) => void;

  constructor(readonly options: ScheduleOptions) {
    const { graph, emit, now } = options;
    this.plan = selectTasks(graph, options.names);
    this.stopping = new Stopping(options);
    this.loop = new Loop(this.#pass, this.#broken);
    this.walk = new Walk(graph.tasks, options.parallel, this);
    const ranOk = (name: string) => this.walk.jobs.get(name)?.outcome?.state === "ok";
    this.memory = new RunMemory({ state: options.state, params: options.params, emit, now, tasks: graph.tasks, ranOk, signal: options.signal });
    this.admission = new Admission(options.concurrency, this.#gates(), this.#priorities(), options.dispatcherFor, this.loop, (job, task) => this.attempts.start(job, task));
    this.attempts = new Attempts(this.admission, this.stopping, this.memory, this.loop, workContext(options, this.#watchdog), emit, options.beforeInteractive, this);
    this.readiness = new Readiness(options, this.walk, this.stopping, this.admission, this.memory, this.loop, this.conclude, this.rewalk);
    this.root = new Job(undefined, options.names, options.parallel);
    this.restarts = new Restarts(this.walk, this.stopping, this.loop, this.root, this.rewalk);
    this.result = new Promise<RunResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#begin();
  }

  #begin(): void {
    const { options } = this;
    this.#closeGuard = options.guard && openGuard(options.guard.host, (error, task) => {
      options.guard!.onError(strayMessage(error, task, options.graph.root));
      this.stopping.stray();
    });
    options.signal?.addEventListener("abort", this.#interrupted, { once: true });
    if (options.signal?.aborted) this.#interrupted();
    this.walk.request(this.root);
    this.loop.drain();
  }

  readonly #interrupted = (): void => this.stopping.interrupted();

  // One pass of the loop: move jobs on, apply restarts asked for, give the slots of ended tasks back.
  readonly #pass = (): boolean => {
    this.walk.step();
    this.restarts.apply();
    return this.walk.steps.length > 0 || this.admission.admitEnded();
  };

  readonly #broken = (error: unknown): void => {
    this.#over = true;
    this.#closeGuard?.();
    this.#reject(error);
  };

  depsDone(job: Job, task: TaskNode): void {
    this.readiness.depsDone(job, task);
  }

  /** A task ended: its end is told, the failure policy applies, and its dependents move on. */
  readonly conclude = (job: Job, outcome: WorkOutcome): void => {
    const name = job.task!.name;
    this.options.emit(endEvent(name, outcome, this.options.now()));
    if (outcome.state === "failed") this.stopping.failed(name);
    this.walk.conclude(job, outcomeOf(name, outcome));
  };

  /** A job starts over (restarted): what this run knew of its last run is forgotten. */
  readonly rewalk = (job: Job): void => {
    if (job.task) {
      this.memory.forget(job.task.name);
      this.readiness.passedOver.delete(job.task.name);
    }
    this.walk.rewalk(job);
  };

  restart(names: readonly string[], reason: string): boolean {
    if (this.#over) return false;
    this.restarts.ask(names, reason);
    return true;
  }

  allDone(): void {
    // A restart asked for in this pass sends jobs back first: the run is not over.
    if (this.restarts.pending) return;
    this.#over = true;
    const { options } = this;
    options.signal?.removeEventListener("abort", this.#interrupted);
    this.#closeGuard?.();
    this.#watchdog.close();
    // Every selected task has ended by now: each requested one waited for all of its deps.
    const outcomes = this.plan.map((task) => this.walk.jobs.get(task.name)!.outcome!);
    const counts = EMPTY_COUNTS();
    for (const outcome of outcomes) counts[outcome.state]++;
    const state: RunState = options.signal?.aborted ? "interrupted" : counts.failed + counts.cancelled > 0 || this.stopping.strayed ? "failed" : "ok";
    const duration = options.now();
    options.emit({ event: "summary", state, duration, counts });
    this.#resolve({ state, duration, tasks: outcomes });
  }

  // Longest remaining path first: recorded durations where known, else counting tasks.
  #priorities(): ReadonlyMap<string, number> {
    const shapes = this.plan.map((task) => ({ name: task.name, deps: task.deps, works: task.run !== undefined }));
    return remainingPaths(shapes, (name) => this.options.state?.duration(name));
  }

  // Locks shared with other mity processes, and the terminal, only when some task needs them.
  #gates(): Gates {
    const { options, plan } = this;
    const onWait = (task: string, line: string) => options.emit({ event: "output", task, stream: "stderr", line, time: options.now() });
    const projectLocks = plan.some((task) => task.lock !== undefined)
      ? new ProjectLocks({ root: options.graph.root, signal: this.stopping.stopWaiting.signal, onWait, parentTask: options.env["MITY_TASK"] })
      : undefined;
    return new Gates(plan.some((task) => task.interactive || (task.confirm !== undefined && !options.yes)), projectLocks);
  }
}

/** What the tasks of one run share (see work.ts). */
function workContext(options: ScheduleOptions, watchdog: Watchdog): WorkContext {
  // One switch, with one listener on the run's kill signal, for all commands: a listener per command costs more than a quick command.
  const killSwitch = new TaskStop();
  if (options.killSignal?.aborted) killSwitch.stop("cancelled");
  options.killSignal?.addEventListener("abort", () => killSwitch.stop("cancelled"), { once: true });
  return {
    seenDirectories: new Set<string>(),
    environment: taskEnvironments(options.extraEnv ? { ...options.env, ...options.extraEnv } : options.env, options.graph.root, options.taskEnv),
    // Frozen once for the run, so no task's context needs a copy of its own.
    args: Object.freeze([...options.args]),
    staged: Object.freeze([...(options.staged ?? [])]),
    onKill: (listener) => killSwitch.onStop(listener),
    graceMs: options.graceMs,
    emit: options.emit,
    now: options.now,
    onGroup: (pgid, alive) => (alive ? watchdog.added(pgid) : watchdog.removed(pgid)),
    params: options.params,
    warn: options.onWarning,
    flow: options.flow,
  };
}
