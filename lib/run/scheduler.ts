import type { Graph, TaskNode } from "../graph/graph.js";
import type { TaskOutcome, TaskState } from "../types.js";
import type { EndEvent, EventSink, RunState } from "./events.js";
import type { OutputGate } from "./flow.js";
import { Gates } from "./gates.js";
import { remainingPaths } from "./priority.js";
import { Slots } from "./slots.js";
import { selectTasks } from "../graph/plan.js";
import { Watchdog } from "./watchdog.js";
import { setLongTimeout } from "../util/long-timeout.js";
import { taskEnvironments } from "./environment.js";
import { doWork, type WorkContext, type WorkOutcome } from "./work.js";
import { TaskStop } from "./stop.js";
import { isTracked } from "../state/check.js";
import type { StateStore } from "../state/store.js";
import { RunMemory } from "./run-memory.js";
import { ProjectLocks } from "./project-locks.js";
import { openGuard, strayMessage, type ProcessHost } from "./stray-errors.js";

export interface ScheduleOptions {
  graph: Graph;
  /** Full names of the requested tasks, in the order given. */
  names: readonly string[];
  /** Requested tasks, and deps of tasks that leave `concurrent` unset, run at the same time. */
  parallel: boolean;
  /** Most tasks doing their own work at once. */
  concurrency: number;
  keepGoing: boolean;
  failFast: boolean;
  /** Words after `--`. */
  args: readonly string[];
  /** The environment every task starts from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted to interrupt the run: nothing new starts and running tasks are stopped. */
  signal?: AbortSignal | undefined;
  /** Aborted to kill running tasks at once, without the grace period. */
  killSignal?: AbortSignal | undefined;
  /** How long a stopped task's processes get between SIGTERM and SIGKILL. */
  graceMs: number;
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
}

export interface RunResult {
  state: RunState;
  duration: number;
  tasks: TaskOutcome[];
}

const EMPTY_COUNTS = (): Record<TaskState, number> => ({ ok: 0, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0 });
const succeeded = (outcome: TaskOutcome) => outcome.state === "ok" || outcome.state === "up-to-date";

/** Where a task is in the run. */
const IDLE = 0;
const WAITING = 1;
const DONE = 2;

/** A task of the run: its place, what it waits for and who waits for it. */
interface Job {
  /** Undefined for the run itself, whose deps are the requested tasks. */
  task: TaskNode | undefined;
  deps: readonly string[];
  concurrent: boolean;
  phase: typeof IDLE | typeof WAITING | typeof DONE;
  /** Deps being waited for when they run at the same time; -1 until they are requested. */
  pending: number;
  /** The dep waited for when deps run one after another. */
  next: number;
  /** Jobs to move on once this one is done. */
  waiters: Job[] | undefined;
  outcome: TaskOutcome | undefined;
  /** Lets the next task through the task's lock or the terminal. */
  leave: (() => void) | undefined;
}

/**
 * Runs the requested tasks and their deps. Each task runs at most once, after its deps; a task waiting
 * for deps holds no slot. The core moves tasks on with plain callbacks, one loop and no promise per
 * task: a run function that returns no promise starts and ends within one turn of the event loop, and
 * only what is really asynchronous (commands, async functions, checks, prompts, locks) waits for one.
 */
export function schedule(options: ScheduleOptions): Promise<RunResult> {
  const { graph, emit, now } = options;
  const plan = selectTasks(graph, options.names);
  // A task that gets a slot starts, then what its end moved on (if it ended at once) is moved on.
  const slots = new Slots<Job>(options.concurrency, (job) => {
    try {
      start(job, job.task!);
    } catch (error) {
      broken(error);
    }
    drain();
  });
  // Longest remaining path first: recorded durations where known, else counting tasks.
  const priorities = remainingPaths(
    plan.map((task) => ({ name: task.name, deps: task.deps, works: task.run !== undefined })),
    (name) => options.state?.duration(name),
  );
  // Aborted once the run starts no more tasks: a task waiting for another mity's lock gives up.
  const stopWaiting = new AbortController();
  const onWait = (task: string, line: string) => emit({ event: "output", task, stream: "stderr", line, time: now() });
  const projectLocks = plan.some((task) => task.lock !== undefined) ? new ProjectLocks({ root: graph.root, signal: stopWaiting.signal, onWait, parentTask: options.env["MITY_TASK"] }) : undefined;
  const gates = new Gates(plan.some((task) => task.interactive || (task.confirm !== undefined && !options.yes)), projectLocks);
  const jobs = new Map<string, Job>();
  const running = new Map<string, TaskStop>();
  const passedOver = new Set<string>();
  const memory = new RunMemory({ state: options.state, params: options.params, emit, now, tasks: graph.tasks, ranOk: (name) => jobs.get(name)?.outcome?.state === "ok", signal: options.signal });
  const environment = taskEnvironments(options.extraEnv ? { ...options.env, ...options.extraEnv } : options.env, graph.root, options.taskEnv);
  // One switch, with one listener on the run's kill signal, for all commands: a listener per command costs more than a quick command.
  const killSwitch = new TaskStop();
  const onKill = (listener: () => void) => killSwitch.onStop(listener);
  if (options.killSignal?.aborted) killSwitch.stop("cancelled");
  options.killSignal?.addEventListener("abort", () => killSwitch.stop("cancelled"), { once: true });
  // Frozen once for the run, so no task's context needs a copy of its own.
  const args = Object.freeze([...options.args]);
  const staged = Object.freeze([...(options.staged ?? [])]);
  const seenDirectories = new Set<string>();
  const watchdog = new Watchdog();
  const onGroup = (pgid: number, alive: boolean) => (alive ? watchdog.added(pgid) : watchdog.removed(pgid));
  const shared: WorkContext = {
    seenDirectories, environment, args, staged, onKill, graceMs: options.graceMs, emit, now, onGroup, params: options.params,
    cancelReason: () => cancelReason, warn: options.onWarning, flow: options.flow,
  };
  let stopReason: string | undefined;
  // Why running tasks were stopped: the reason their `cancelled` state gives.
  let cancelReason: string | undefined;
  // An error of a task's code came when no running task could take it: the run fails, as after a failed task.
  let strayed = false;
  const closeGuard = options.guard && openGuard(options.guard.host, (error, task) => {
    strayed = true;
    options.guard!.onError(strayMessage(error, task, graph.root));
    if (!options.keepGoing) stopReason ??= "not started: the run stopped after an error of a task's code";
    if (options.failFast) cancelRunning("stopped after an error of a task's code (--fail-fast)");
  });

  const cancelRunning = (reason: string) => {
    cancelReason ??= reason;
    for (const stop of running.values()) stop.stop("cancelled");
  };
  const onInterrupt = () => {
    stopReason ??= "not started: the run was interrupted";
    stopWaiting.abort();
    cancelRunning("stopped: the run was interrupted");
  };
  options.signal?.addEventListener("abort", onInterrupt, { once: true });
  if (options.signal?.aborted) onInterrupt();

  const end = (task: TaskNode, outcome: WorkOutcome): TaskOutcome => {
    const { state, duration, exitCode, reason } = outcome;
    // The common end (no exit code, no reason) without spreads, which cost more than a no-op task.
    const plain = exitCode === undefined && reason === undefined;
    const full: TaskOutcome = plain && outcome.error === undefined ? { name: task.name, state, duration } : { name: task.name, ...outcome };
    const event: EndEvent = plain
      ? { event: "end", task: task.name, state, duration, time: now() }
      : { event: "end", task: task.name, state, duration, ...(exitCode === undefined ? {} : { exitCode }), ...(reason === undefined ? {} : { reason }), ...(outcome.stack === undefined ? {} : { stack: outcome.stack }), time: now() };
    emit(event);
    if (full.state === "failed") {
      if (!options.keepGoing) {
        stopReason ??= `not started: the run stopped after "${task.name}" failed`;
        stopWaiting.abort();
      }
      if (options.failFast) cancelRunning(`stopped because "${task.name}" failed (--fail-fast)`);
    }
    return full;
  };

  // The loop: `steps` holds jobs to move on (just requested, or one of their deps just ended). Moving
  // one never calls into another directly, so chains of any length use no stack.
  const steps: Job[] = [];
  let draining = false;
  let drainScheduled = false;
  let finished: (result: RunResult) => void;
  let broken: (error: unknown) => void;

  const jobOf = (name: string): Job => {
    let job = jobs.get(name);
    if (!job) {
      const task = graph.tasks.get(name)!;
      job = { task, deps: task.deps, concurrent: task.concurrent ?? options.parallel, phase: IDLE, pending: -1, next: 0, waiters: undefined, outcome: undefined, leave: undefined };
      jobs.set(name, job);
    }
    return job;
  };

  const request = (job: Job) => {
    if (job.phase !== IDLE) return;
    job.phase = WAITING;
    steps.push(job);
  };

  const waitFor = (job: Job, dep: Job) => {
    request(dep);
    (dep.waiters ??= []).push(job);
  };

  // Called when the job is requested and each time a dep it waits for ends.
  const advance = (job: Job) => {
    const { deps } = job;
    if (job.concurrent) {
      if (job.pending < 0) {
        job.pending = 0;
        for (const name of deps) {
          const dep = jobOf(name);
          if (dep.phase === DONE) continue;
          waitFor(job, dep);
          job.pending++;
        }
      } else job.pending--;
      if (job.pending > 0) return;
    } else {
      for (; job.next < deps.length; job.next++) {
        const dep = jobOf(deps[job.next]!);
        if (dep.phase !== DONE) return waitFor(job, dep);
      }
    }
    if (job.task) depsDone(job, job.task);
    else finish();
  };

  const conclude = (job: Job, outcome: WorkOutcome) => {
    job.outcome = end(job.task!, outcome);
    job.phase = DONE;
    const waiters = job.waiters;
    job.waiters = undefined;
    if (waiters) for (const waiter of waiters) steps.push(waiter);
  };

  const depsDone = (job: Job, task: TaskNode) => {
    for (const name of job.deps) {
      const dep = jobs.get(name)!.outcome!;
      if (succeeded(dep) || passedOver.has(dep.name)) continue;
      const what = dep.state === "failed" ? "failed" : dep.state === "cancelled" ? "was cancelled" : "did not run";
      return conclude(job, { state: "skipped", duration: 0, reason: `dep "${dep.name}" ${what}` });
    }
    if (stopReason) return conclude(job, { state: "skipped", duration: 0, reason: stopReason });
    const skipReason = options.skip?.(task);
    if (skipReason) {
      // Passed over on purpose (a hook's task with no staged input): its dependents still run.
      passedOver.add(task.name);
      return conclude(job, { state: "skipped", duration: 0, reason: skipReason });
    }
    const forced = options.force === "all" || options.force?.has(task.name);
    const record = options.state && isTracked(task) && !forced ? options.state.get(task.name) : undefined;
    if (record || (task.confirm !== undefined && !options.yes)) {
      return afterwards(prepare(task, record), (ended) => (ended ? conclude(job, ended) : proceed(job, task)));
    }
    proceed(job, task);
  };

  // The checks that may take a while before a task runs: up to date, and its confirm question.
  const prepare = async (task: TaskNode, record: ReturnType<StateStore["get"]>): Promise<WorkOutcome | undefined> => {
    const upToDate = record && (await memory.upToDate(task, record));
    if (upToDate) return upToDate;
    if (task.confirm !== undefined && !options.yes) {
      const answer = await ask(task);
      if (answer === undefined) {
        return { state: "failed", duration: 0, reason: `asks "${task.confirm}" but there is no terminal to answer it: run with --yes to answer yes` };
      }
      // Interrupted while asking (Ctrl-C at the question) is not a "no".
      if (stopReason) return { state: "skipped", duration: 0, reason: stopReason };
      if (!answer) return { state: "cancelled", duration: 0, reason: "declined at the confirmation prompt" };
    }
    return undefined;
  };

  // A group is done once its deps are; a task with work passes its gates, then waits for a slot.
  const proceed = (job: Job, task: TaskNode) => {
    if (task.run === undefined) return conclude(job, { state: "ok", duration: 0 });
    if (!gates.applies(task)) return slots.wait(job, priorities.get(task.name) ?? 0);
    afterwards(gates.enter(task), (leave) => {
      job.leave = leave;
      slots.wait(job, priorities.get(task.name) ?? 0);
    });
  };

  // The question has the terminal to itself, as an interactive task does.
  const ask = async (task: TaskNode): Promise<boolean | undefined> => {
    if (!options.confirm) return undefined;
    const leave = await gates.enter({ lock: undefined, interactive: true });
    const giveBack = await options.beforeInteractive?.();
    try {
      return await options.confirm(task.name, task.confirm!);
    } finally {
      giveBack?.();
      leave();
    }
  };

  // Starts a task that holds a slot; it ends at once when its work was synchronous.
  const start = (job: Job, task: TaskNode) => {
    if (stopReason) return release(job, { state: "skipped", duration: 0, reason: stopReason });
    const stop = new TaskStop();
    running.set(task.name, stop);
    const timer = task.timeout === undefined ? undefined : setLongTimeout(() => stop.stop("timeout"), task.timeout);
    const working = task.interactive && options.beforeInteractive ? withTerminal(options.beforeInteractive, () => doWork(task, shared, stop)) : doWork(task, shared, stop);
    const ended = (outcome: WorkOutcome) => {
      timer?.cancel();
      running.delete(task.name);
      const remembering = outcome.state === "ok" ? memory.remember(task, outcome.duration) : undefined;
      if (!remembering) return release(job, outcome);
      afterwards(remembering, () => release(job, outcome));
    };
    if (!(working instanceof Promise)) return ended(working);
    afterwards(working, ended);
  };

  const release = (job: Job, outcome: WorkOutcome) => {
    slots.release(job);
    job.leave?.();
    conclude(job, outcome);
  };

  // Moves every job on that can be, then gives the slots of ended tasks back, for the most urgent ready ones.
  const drain = () => {
    if (draining) return;
    draining = true;
    try {
      do {
        for (let i = 0; i < steps.length; i++) advance(steps[i]!);
        steps.length = 0;
      } while (slots.admit());
    } catch (error) {
      broken(error);
    } finally {
      draining = false;
    }
  };

  // What follows something asynchronous, then the turn's drain. The drain is queued first, so that it
  // comes before the writes of what `then` reports (a task's end): the next task starts before them.
  const afterwards = <T>(promise: Promise<T>, then: (value: T) => void): void => {
    promise
      .then((value) => {
        later();
        then(value);
      })
      .catch(broken);
  };

  // After something asynchronous ended: once per turn, so all that ended in it compete for the slots.
  const later = () => {
    if (drainScheduled) return;
    drainScheduled = true;
    setImmediate(() => {
      drainScheduled = false;
      drain();
    });
  };

  const finish = () => {
    options.signal?.removeEventListener("abort", onInterrupt);
    closeGuard?.();
    watchdog.close();
    // Every selected task has ended by now: each requested one waited for all of its deps.
    const outcomes = plan.map((task) => jobs.get(task.name)!.outcome!);
    const counts = EMPTY_COUNTS();
    for (const outcome of outcomes) counts[outcome.state]++;
    const state: RunState = options.signal?.aborted ? "interrupted" : counts.failed + counts.cancelled > 0 || strayed ? "failed" : "ok";
    const duration = now();
    emit({ event: "summary", state, duration, counts });
    finished({ state, duration, tasks: outcomes });
  };

  return new Promise<RunResult>((resolve, reject) => {
    finished = resolve;
    broken = (error) => {
      closeGuard?.();
      reject(error);
    };
    const run: Job = { task: undefined, deps: options.names, concurrent: options.parallel, phase: IDLE, pending: -1, next: 0, waiters: undefined, outcome: undefined, leave: undefined };
    request(run);
    drain();
  });
}

/** Runs work that takes the terminal (an interactive task): the live view yields it first and takes it back after. */
async function withTerminal(beforeInteractive: () => Promise<() => void>, work: () => WorkOutcome | Promise<WorkOutcome>): Promise<WorkOutcome> {
  const giveBack = await beforeInteractive();
  try {
    return await work();
  } finally {
    giveBack();
  }
}
