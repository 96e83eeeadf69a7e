import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { findMityfile } from "./config/find.js";
import { loadIncludeTree, missingError } from "./config/includes.js";
import type { MityExports } from "./config/self.js";
import type { Graph, TaskNode } from "./graph/graph.js";
import { completeParams } from "./graph/params.js";
import { resolveRequested, selectTasks } from "./graph/plan.js";
import { preflight } from "./graph/preflight.js";
import { resolveGraph } from "./graph/resolve.js";
import type { EventSink } from "./run/events.js";
import { runSettings, type GivenSettings } from "./run/settings.js";
import type { ReporterMode } from "./report/choose.js";
import type { OutputGate } from "./run/flow.js";
import type { RunResult } from "./run/scheduler.js";
import type { Services } from "./run/service.js";
import { MityError } from "./util/errors.js";
import { mityVersion } from "./util/package.js";

export interface LoadOptions {
  /** Where the search for a mityfile starts (default: the current directory). */
  cwd?: string | undefined;
  /** Use this mityfile (or directory holding one) instead of searching. */
  mityfile?: string | undefined;
  /** Use the user's own mityfile (`$XDG_CONFIG_HOME/mity/`, else `~/.config/mity/`). */
  global?: boolean | undefined;
  // Not NodeJS.ProcessEnv: the published types must not need @types/node.
  /** Environment used to find the global mityfile (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Leave out the tasks of included repositories not cloned yet (listed in `missing`) instead of failing. */
  partial?: boolean | undefined;
}

/**
 * Finds and loads a mityfile with its includes, checks it, and returns its tasks. `mity`, the running
 * mity's exports, lets a mityfile run from its faster script form (the command line hands them down);
 * without them it is imported as a module, which imports mity itself.
 */
export async function load(options: LoadOptions = {}, mity?: MityExports): Promise<Graph> {
  const file = await findMityfile({
    cwd: resolve(options.cwd ?? process.cwd()),
    mityfile: options.mityfile,
    global: options.global,
    // One plain copy for the run: reading process.env key by key is slow, and tasks start from it.
    env: { ...(options.env ?? process.env) },
  });
  const { sources, repositories } = await loadIncludeTree(file, undefined, mity);
  const missing = repositories.filter((repository) => !repository.present);
  if (missing.length > 0 && !options.partial) throw missingError(missing);
  return resolveGraph(sources, missing);
}

/** How to run: the run's settings (`concurrency`, `parallel`, `keepGoing`, `failFast`, `graceMs`, `args`: see RunSettings), where the tasks are, and the run's seams. */
export interface RunOptions extends LoadOptions, GivenSettings {
  /** Tasks already loaded with `load()`; otherwise the mityfile is found from `cwd`. */
  graph?: Graph | undefined;
  /** Abort to cancel the run: running tasks are stopped (SIGTERM, then SIGKILL after `graceMs`). */
  signal?: AbortSignal | undefined;
  /** Abort to kill running tasks at once. */
  killSignal?: AbortSignal | undefined;
  /** Receives every event of the run (start, output, end, summary). */
  onEvent?: EventSink | undefined;
  /** While something holds it, commands' output is not read (they wait): a slow reader of `onEvent` is not outrun. */
  flow?: OutputGate | undefined;
  /** Also show the run on this process's stdout and stderr, as the command line would (default: nothing is printed). */
  output?: ReporterMode | undefined;
  /** Called before an interactive task takes the terminal; returns how to take it back. */
  beforeInteractive?: (() => Promise<() => void>) | undefined;
  /** Param values of named tasks: `{ deploy: { env: "prod" } }`. Deps take only their defaults. */
  params?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
  /** Answer yes to every `confirm` question. */
  yes?: boolean | undefined;
  /** Asks a `confirm` question; without it (and without `yes`) a selected task that asks stops the run before anything runs. */
  confirm?: ((task: string, question: string) => Promise<boolean>) | undefined;
  /** Staged files (`ctx.staged`), for runs started by a git hook. */
  staged?: readonly string[] | undefined;
  /** Added to every task's environment. */
  extraEnv?: Readonly<Record<string, string>> | undefined;
  /** Variables added to one task's environment, asked for once its work has started (e.g. its own `TRACEPARENT`). */
  taskEnv?: ((task: string) => Readonly<Record<string, string>>) | undefined;
  /** A reason to skip a task before it runs, or undefined to run it (e.g. a hook's task with no staged input). */
  skip?: ((task: Graph["tasks"] extends ReadonlyMap<string, infer T> ? T : never) => string | undefined) | undefined;
  /** Run these tasks even when up to date, or `"all"` for every selected task. */
  force?: readonly string[] | "all" | undefined;
  /** Keep and use the up-to-date state in `.mity/` (default true). */
  state?: boolean | undefined;
  /** Receives warnings (a damaged state file, one that cannot be saved). */
  onWarning?: ((message: string) => void) | undefined;
  /** Called once the run has started, with a way to run tasks again while it goes on (watch mode): running ones are stopped first. `now()` is the run's clock, the `time` of its events. */
  onStart?: ((run: { restart(names: readonly string[], reason: string): boolean; now(): number }) => void) | undefined;
  /** Receives an error of a task's code that no running task could take (it came after the task ended); the run then fails. Default: `onWarning`. */
  onError?: ((message: string) => void) | undefined;
  /** Where the pools' queues live (`redis://` or `rediss://`), for tasks with a `pool`; default `MITY_REDIS_URL`, then the settings' `redis`. */
  redis?: string | undefined;
  /** Milliseconds a pooled task waits for a worker to take it before it fails (default 60000). */
  poolWaitMs?: number | undefined;
  /**
   * Keep the run in `.mity/runs/` once it started a task, for `mity --runs` and `mity --report` (default
   * true). `id` names the record; `options` are the command-line options it stands for (default: those
   * that would ask for this run's settings).
   */
  history?: boolean | { id?: string | undefined; options?: readonly string[] | undefined } | undefined;
}

export type { RunResult };

/**
 * Runs tasks (with their deps) and resolves to the outcome of every task. It does not throw for a
 * failing task: look at `state`. It throws a `MityError` when nothing could run (unknown task, bad mityfile).
 */
export async function run(tasks: string | readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
  const graph = options.graph ?? (await load(options));
  if (graph.missing) throw missingError(graph.missing);
  let names = typeof tasks === "string" ? [tasks] : [...tasks];
  if (names.length === 0) {
    if (graph.defaultTask === undefined) throw new MityError("no task named and the mityfile has no default task", { file: graph.file });
    names = [graph.defaultTask];
  }
  // Defaults are applied here, once: every layer below takes the settings as they are.
  const settings = runSettings(options, availableParallelism());
  const requested = resolveRequested(graph, names);
  const params = paramValues(graph, requested, options.params ?? {});
  const [blocker] = await preflight(graph, requested, { yes: options.yes ?? false, canAsk: options.confirm !== undefined, skip: options.skip });
  if (blocker) throw blocker;
  // Only a run with a pooled task loads the queue; one that cannot reach Redis stops here, before anything ran.
  const pools = hasPool(graph) ? await (await import("./pool/open.js")).openRunPools(graph, requested, { redis: options.redis, env: options.env ?? process.env, poolWaitMs: options.poolWaitMs, now: () => performance.now(), taskEnv: options.taskEnv }) : undefined;
  const reporter = options.output === undefined ? undefined : await printTo(options.output, graph, requested);
  // The engine loads only when something runs: listing and explaining need none of it.
  const [{ startSchedule }, { StateStore }, history] = await Promise.all([import("./run/scheduler.js"), import("./state/store.js"), keptInHistory(graph, names, options)]);
  const state = options.state === false ? undefined : StateStore.load(graph.root);
  if (state?.warning) options.onWarning?.(state.warning);
  const force = options.force === "all" ? "all" : new Set(options.force ? resolveRequested(graph, options.force) : []);
  const started = performance.now();
  const now = () => Math.round(performance.now() - started);
  // Services are kept (and loaded) only by runs that have one.
  const plan = selectTasks(graph, requested);
  // A service that dies while needed: its last output is told, and the run fails, stopping what needed it.
  const serviceDied = (message: string, stop: readonly string[]) => {
    (options.onError ?? options.onWarning)?.(message);
    handle.fail(message.split("\n")[0]!, stop);
  };
  const kept = keptServices.get(options);
  if (kept) kept.onDied = serviceDied;
  const services = kept ?? (plan.some((task) => task.service) ? new (await import("./run/service.js")).Services(plan, serviceDied) : undefined);
  const emit = allOf([history?.sink, reporter, options.onEvent]);
  const handle = startSchedule({
    ...settings,
    dispatcherFor: pools?.dispatcherFor,
    state,
    force,
    graph,
    names: requested,
    params,
    yes: options.yes,
    confirm: options.confirm,
    staged: options.staged,
    skip: options.skip,
    extraEnv: options.extraEnv,
    taskEnv: options.taskEnv,
    // One plain copy for the run: reading process.env key by key is slow, and tasks start from it.
    env: { ...(options.env ?? process.env) },
    signal: options.signal,
    killSignal: options.killSignal,
    emit: services ? (event) => (emit(event), services.observe(event)) : emit,
    ...(services ? { dispatcherFor: (task: TaskNode) => (task.service ? services : undefined) } : {}),
    flow: options.flow,
    beforeInteractive: options.beforeInteractive ?? reporter?.yieldTerminal,
    now,
    guard: { host: process, onError: options.onError ?? options.onWarning ?? (() => {}) },
    onWarning: options.onWarning,
  });
  options.onStart?.({ restart: handle.restart, now });
  // Kept even when the run threw: the history is where a failure is looked for.
  const result = await handle.result.finally(() => {
    history?.save();
    return pools?.close();
  });
  if (kept) kept.onDied = (message) => (options.onError ?? options.onWarning)?.(message);
  else await services?.stopAll();
  await reporter?.close?.();
  const saveWarning = state?.save();
  if (saveWarning) options.onWarning?.(saveWarning);
  return result;
}

/** One sink over those given, in order. */
function allOf(sinks: readonly (EventSink | undefined)[]): EventSink {
  const given = sinks.filter((sink) => sink !== undefined);
  if (given.length <= 1) return given[0] ?? (() => {});
  return (event) => {
    for (let at = 0; at < given.length; at++) given[at]!(event);
  };
}

/** What keeps the run in `.mity/runs/`, unless `history: false`. */
async function keptInHistory(graph: Graph, names: readonly string[], options: RunOptions) {
  if (options.history === false) return undefined;
  const given = typeof options.history === "object" ? options.history : {};
  const { recordRun } = await import("./history/record-run.js");
  return recordRun({
    root: graph.root,
    tasks: graph.tasks,
    id: given.id ?? newRunId(),
    asked: { tasks: [...names], options: [...(given.options ?? askedOptions(options))] },
    version: mityVersion(),
    now: Date.now,
    warn: (message) => options.onWarning?.(message),
  });
}

/** A run's id: its start time, then the process, so that ids sort oldest first and two processes never share one. */
export const newRunId = (): string => `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`;

/** Settings as the command-line options that ask for them: what a run's record says was asked. */
export function askedOptions(settings: Pick<RunOptions, "parallel" | "concurrency" | "keepGoing" | "failFast" | "force">): string[] {
  const options: [boolean, string][] = [
    [settings.parallel === true, "--parallel"],
    [settings.concurrency !== undefined, `-j${settings.concurrency}`],
    [settings.keepGoing === true, "--keep-going"],
    [settings.failFast === true, "--fail-fast"],
    [settings.force !== undefined && settings.force !== "all", "--force"],
    [settings.force === "all", "--force-all"],
  ];
  return options.flatMap(([given, text]) => (given ? [text] : []));
}

/** Whether any task of the graph runs on a pool (a loop: graphs of thousands of tasks are common). */
function hasPool(graph: Graph): boolean {
  for (const task of graph.tasks.values()) if (task.pool !== undefined) return true;
  return false;
}

const keptServices = new WeakMap<RunOptions, Services>();

/** Watch mode: the run uses services kept up across runs instead of starting and stopping its own. */
export function withServices(options: RunOptions, services: Services): RunOptions {
  keptServices.set(options, services);
  return options;
}

/** Checked param values of every selected task, before anything runs: deps get their defaults only. */
export function paramValues(graph: Graph, requested: readonly string[], given: Readonly<Record<string, Readonly<Record<string, unknown>>>>) {
  const named = new Set(requested);
  const selected = selectTasks(graph, requested);
  const values = new Map<string, Readonly<Record<string, unknown>>>();
  for (const name of Object.keys(given)) {
    const full = resolveRequested(graph, [name])[0]!;
    if (!named.has(full)) {
      throw new MityError(`params were given for "${name}", which is not one of the tasks named to run (deps cannot take params)`, { file: graph.file, task: full });
    }
  }
  const givenByFull = new Map(Object.entries(given).map(([name, value]) => [resolveRequested(graph, [name])[0]!, value]));
  for (const task of selected) {
    if (Object.keys(task.params).length === 0) continue;
    const place = { file: task.file, task: task.name };
    try {
      values.set(task.name, completeParams(task.params, givenByFull.get(task.name) ?? {}, place));
    } catch (error) {
      if (named.has(task.name) || !(error instanceof MityError)) throw error;
      const dependent = selected.find((other) => other.deps.includes(task.name))?.name;
      throw new MityError(`${error.message}, but it runs here as a dep of "${dependent}" and deps cannot take params: run it by name first (mity ${task.name} ...)`, place);
    }
  }
  return values;
}

/** A reporter on this process's own streams, for `run(..., { output })`. */
async function printTo(mode: NonNullable<RunOptions["output"]>, graph: Graph, names: readonly string[]) {
  const [{ createReporter, resolveMode }, { colorEnabled, createStyle }] = await Promise.all([import("./report/choose.js"), import("./util/style.js")]);
  return createReporter(resolveMode(mode, process.stdout, process.env), {
    style: createStyle(colorEnabled(process.env, Boolean(process.stdout.isTTY))),
    verbosity: "normal",
    tasks: selectTasks(graph, names).map((task) => task.name),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    bytes: (stream, data) => (stream === "stderr" ? process.stderr : process.stdout).write(data),
    rows: () => process.stdout.rows ?? 24,
    columns: () => process.stdout.columns ?? 80,
    githubActions: process.env.GITHUB_ACTIONS === "true",
  });
}
