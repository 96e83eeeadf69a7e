import type { Graph, TaskNode } from "../graph/graph.js";
import type { TaskOutcome, TaskState } from "../types.js";
import type { EndEvent, EventSink, RunState } from "./events.js";
import { Gates } from "./gates.js";
import { remainingPaths } from "./priority.js";
import { Slots } from "./slots.js";
import { selectTasks } from "../graph/plan.js";
import { Watchdog } from "./watchdog.js";
import { taskEnvironments } from "./environment.js";
import { doWork } from "./work.js";
import { TaskStop } from "./stop.js";
import { checkTask, fingerprintOf, groupFingerprint, isTracked, scanTask } from "../state/check.js";
import type { StateStore } from "../state/store.js";
import type { FileTable } from "../state/files.js";

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
}

export interface RunResult {
  state: RunState;
  duration: number;
  tasks: TaskOutcome[];
}

const hasNewTimes = (before: FileTable | undefined, now: FileTable) =>
  Object.entries(now).some(([path, entry]) => before?.[path]?.mtimeMs !== entry.mtimeMs);

const NO_OUTCOMES: readonly TaskOutcome[] = [];
const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_PRINTS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const EMPTY_COUNTS = (): Record<TaskState, number> => ({ ok: 0, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0 });
const succeeded = (outcome: TaskOutcome) => outcome.state === "ok" || outcome.state === "up-to-date";

/**
 * Runs the requested tasks and their deps. Each task has one promise (it runs at most once); deps are
 * awaited outside the concurrency limit, so a task waiting for deps never holds a slot.
 */
export async function schedule(options: ScheduleOptions): Promise<RunResult> {
  const { graph, emit, now } = options;
  const plan = selectTasks(graph, options.names);
  const slots = new Slots(options.concurrency);
  // Longest remaining path first: recorded durations where known, else counting tasks.
  const priorities = remainingPaths(
    plan.map((task) => ({ name: task.name, deps: task.deps, works: task.run !== undefined })),
    (name) => options.state?.duration(name),
  );
  const gates = new Gates(plan.some((task) => task.interactive || (task.confirm !== undefined && !options.yes)));
  const promises = new Map<string, Promise<TaskOutcome>>();
  const running = new Map<string, TaskStop>();
  // What each finished task passes to its dependents' up-to-date checks.
  const fingerprints = new Map<string, string>();
  const passedOver = new Set<string>();
  const runId = Math.random().toString(36).slice(2);
  const environment = taskEnvironments(options.extraEnv ? { ...options.env, ...options.extraEnv } : options.env, graph.root);
  // One listener on the run's kill signal for all commands: an event listener per command costs more than a quick command.
  const killers = new Set<() => void>();
  options.killSignal?.addEventListener("abort", () => {
    for (const kill of killers) kill();
  }, { once: true });
  const onKill = (listener: () => void) => {
    if (options.killSignal?.aborted) {
      listener();
      return () => {};
    }
    killers.add(listener);
    return () => void killers.delete(listener);
  };
  // Frozen once for the run, so no task's context needs a copy of its own.
  const args = Object.freeze([...options.args]);
  const staged = Object.freeze([...(options.staged ?? [])]);
  const seenDirectories = new Set<string>();
  const watchdog = new Watchdog();
  const onGroup = (pgid: number, alive: boolean) => (alive ? watchdog.added(pgid) : watchdog.removed(pgid));
  let stopReason: string | undefined;
  // Why running tasks were stopped: the reason their `cancelled` state gives.
  let cancelReason: string | undefined;

  const cancelRunning = (reason: string) => {
    cancelReason ??= reason;
    for (const stop of running.values()) stop.stop("cancelled");
  };
  const onInterrupt = () => {
    stopReason ??= "not started: the run was interrupted";
    cancelRunning("stopped: the run was interrupted");
  };
  options.signal?.addEventListener("abort", onInterrupt, { once: true });
  if (options.signal?.aborted) onInterrupt();

  const end = (task: TaskNode, outcome: Omit<TaskOutcome, "name">): TaskOutcome => {
    const full: TaskOutcome = { name: task.name, ...outcome };
    const { state, duration, exitCode, reason } = full;
    // The common end (no exit code, no reason) without the spreads, which cost more than a no-op task.
    const event: EndEvent = exitCode === undefined && reason === undefined
      ? { event: "end", task: task.name, state, duration, time: now() }
      : { event: "end", task: task.name, state, duration, ...(exitCode === undefined ? {} : { exitCode }), ...(reason === undefined ? {} : { reason }), time: now() };
    emit(event);
    if (full.state === "failed") {
      if (!options.keepGoing) stopReason ??= `not started: the run stopped after "${task.name}" failed`;
      if (options.failFast) cancelRunning(`stopped because "${task.name}" failed (--fail-fast)`);
    }
    return full;
  };

  // A group's fingerprint (a hash of its deps' ones) is made only when a tracked task asks for it.
  const groups = new Map<string, TaskNode>();
  const printOf = (name: string): string => {
    const known = fingerprints.get(name);
    if (known !== undefined) return known;
    const group = groups.get(name);
    if (!group) return "";
    const print = groupFingerprint(printsOf(group));
    fingerprints.set(name, print);
    return print;
  };

  const printsOf = (task: TaskNode): Record<string, string> => {
    if (task.deps.length === 0) return NO_PRINTS;
    const prints: Record<string, string> = {};
    for (const dep of task.deps) prints[dep] = printOf(dep);
    return prints;
  };

  const request = (name: string): Promise<TaskOutcome> => {
    let promise = promises.get(name);
    if (!promise) {
      promise = execute(graph.tasks.get(name)!);
      promises.set(name, promise);
    }
    return promise;
  };

  const awaitAll = async (names: readonly string[], concurrent: boolean): Promise<TaskOutcome[]> => {
    if (concurrent) return Promise.all(names.map(request));
    const outcomes: TaskOutcome[] = [];
    for (const name of names) outcomes.push(await request(name));
    return outcomes;
  };

  const execute = async (task: TaskNode): Promise<TaskOutcome> => {
    // Yield first, so a chain of thousands of deps does not recurse on one stack.
    await null;
    const deps = task.deps.length === 0 ? NO_OUTCOMES : await awaitAll(task.deps, task.concurrent ?? options.parallel);
    const bad = deps.find((dep) => !succeeded(dep) && !passedOver.has(dep.name));
    if (bad) {
      const what = bad.state === "failed" ? "failed" : bad.state === "cancelled" ? "was cancelled" : "did not run";
      return end(task, { state: "skipped", duration: 0, reason: `dep "${bad.name}" ${what}` });
    }
    if (stopReason) return end(task, { state: "skipped", duration: 0, reason: stopReason });
    const skipReason = options.skip?.(task);
    if (skipReason) {
      // Passed over on purpose (a hook's task with no staged input): its dependents still run.
      passedOver.add(task.name);
      return end(task, { state: "skipped", duration: 0, reason: skipReason });
    }
    if (task.run === undefined) groups.set(task.name, task);
    const forced = options.force === "all" || options.force?.has(task.name);
    const record = options.state?.get(task.name);
    if (options.state && record && isTracked(task) && !forced) {
      const verdict = await checkTask(task, record, options.params?.get(task.name) ?? {}, printsOf(task));
      if (verdict.upToDate) {
        fingerprints.set(task.name, record.fingerprint);
        // Touched but unchanged files: remember their new times so the next check need not read them.
        if (hasNewTimes(record.inputs, verdict.inputs.files) || hasNewTimes(record.outputs, verdict.outputs.files)) {
          options.state!.set(task.name, { ...record, inputs: verdict.inputs.files, outputs: verdict.outputs.files }, undefined);
        }
        return end(task, { state: "up-to-date", duration: 0, reason: verdict.reason });
      }
    }
    if (task.confirm !== undefined && !options.yes) {
      const answer = await ask(task);
      if (answer === undefined) {
        return end(task, { state: "failed", duration: 0, reason: `asks "${task.confirm}" but there is no terminal to answer it: run with --yes to answer yes` });
      }
      if (!answer) return end(task, { state: "cancelled", duration: 0, reason: "declined at the confirmation prompt" });
      if (stopReason) return end(task, { state: "skipped", duration: 0, reason: stopReason });
    }
    if (task.run === undefined) return end(task, { state: "ok", duration: 0 });
    const leave = gates.applies(task) ? await gates.enter(task) : undefined;
    try {
      return await slots.run(priorities.get(task.name) ?? 0, () =>
        stopReason ? Promise.resolve(end(task, { state: "skipped", duration: 0, reason: stopReason })) : work(task),
      );
    } finally {
      leave?.();
    }
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

  // After a success: the fingerprint for dependents, and what the next run's check compares with.
  // Synchronous for a task that tracks no files: most tasks, and they should not wait a turn for nothing.
  const remember = (task: TaskNode, duration: number): Promise<void> | undefined => {
    if (isTracked(task)) return rememberFiles(task, duration);
    fingerprints.set(task.name, `${task.name}@${runId}`);
    // Durations of quick tasks would only grow the state file: they do not change the schedule.
    if (duration >= 10) options.state?.set(task.name, { fingerprint: fingerprints.get(task.name)! }, duration);
    return undefined;
  };

  const rememberFiles = async (task: TaskNode, duration: number) => {
    const depPrints = printsOf(task);
    // Files the task did not touch keep their size and time, and so their recorded hash: only changed ones are read.
    const after = await scanTask(task, options.params?.get(task.name) ?? {}, options.state?.get(task.name));
    for (const [kind, scan] of [["inputs", after.inputs], ["outputs", after.outputs]] as const) {
      for (const pattern of scan.empty) emit({ event: "output", task: task.name, stream: "stderr", line: `mity: ${kind} pattern "${pattern}" matches no file`, time: now() });
    }
    const fingerprint = fingerprintOf(after.definition, depPrints, after.inputs, after.outputs);
    fingerprints.set(task.name, fingerprint);
    options.state?.set(task.name, { fingerprint, definition: after.definition, deps: depPrints, inputs: after.inputs.files, outputs: after.outputs.files }, duration);
  };

  const work = async (task: TaskNode): Promise<TaskOutcome> => {
    const stop = new TaskStop();
    running.set(task.name, stop);
    const timer = task.timeout === undefined ? undefined : setTimeout(() => stop.stop("timeout"), task.timeout);
    const giveBack = task.interactive ? await options.beforeInteractive?.() : undefined;
    try {
      const outcome = await doWork(task, {
        stop,
        seenDirectories,
        params: options.params?.get(task.name) ?? NO_PARAMS,
        environment,
        args,
        staged,
        onKill,
        graceMs: options.graceMs,
        emit,
        now,
        onGroup,
        cancelReason: () => cancelReason,
      });
      if (outcome.state === "ok") {
        const remembering = remember(task, outcome.duration);
        if (remembering) await remembering;
      }
      return end(task, outcome);
    } finally {
      clearTimeout(timer);
      running.delete(task.name);
      giveBack?.();
    }
  };

  await awaitAll(options.names, options.parallel);
  options.signal?.removeEventListener("abort", onInterrupt);
  watchdog.close();
  // Every selected task has ended by now: each requested one waited for all of its deps.
  const outcomes = await Promise.all(plan.map((task) => promises.get(task.name)!));
  const counts = EMPTY_COUNTS();
  for (const outcome of outcomes) counts[outcome.state]++;
  const state: RunState = options.signal?.aborted ? "interrupted" : counts.failed + counts.cancelled > 0 ? "failed" : "ok";
  const duration = now();
  emit({ event: "summary", state, duration, counts });
  return { state, duration, tasks: outcomes };
}
