import { relative } from "node:path";
import { askedOptions, newRunId, run, withServices, type RunOptions, type RunResult } from "../api.js";
import type { Services } from "../run/service.js";
import type { Graph, TaskNode } from "../graph/graph.js";
import { formatDuration } from "../util/duration.js";
import { orderTasks, selectTasks } from "../graph/plan.js";
import { createReporter, REPORTERS, resolveMode, type ReporterMode } from "../report/choose.js";
import type { Reporter } from "../report/reporter.js";
import { createRunLog } from "../report/run-log.js";
import type { ChangeEvent, EventSink } from "../run/events.js";
import { OutputFlow } from "../run/flow.js";
import { givenSettings } from "../run/settings.js";
import type { Style } from "../util/style.js";
import type { CliRequest } from "./args.js";
import { EXIT, type CliIO } from "./io.js";
import { startObservers } from "./observers.js";
import { OutputWriter } from "./output-writer.js";
import { watchSignals, type RunSignals } from "./signals.js";

export interface RunRequest {
  graph: Graph;
  names: string[];
  params: Record<string, Record<string, unknown>>;
  request: CliRequest;
  concurrency: number;
  cwd: string;
  style: Style;
  io: CliIO;
  /** Staged files and extra environment, for runs started by a git hook. */
  staged?: readonly string[];
  extraEnv?: Readonly<Record<string, string>>;
  /** A reason to skip a task before it runs (a hook's task with no staged input). */
  skip?: (task: TaskNode) => string | undefined;
  /** Watch mode: the change this run answers, shown first. */
  changed?: ChangeEvent;
  /** Watch mode: services kept up across runs. */
  services?: Services;
  /** Watch mode: told, once the run started, how to run tasks again in it and show why. */
  onStart?: (run: { restart(names: readonly string[], reason: string): boolean; report(event: ChangeEvent): void }) => void;
  /** Told the counts line of a successful run (hooks are short on success). */
  onSuccess?: (summary: string) => void;
}

/** Runs tasks with the chosen output, the run log, signals and the confirm prompt; returns the exit code. */
export async function runTasks(job: RunRequest): Promise<number> {
  const { graph, names, request, io } = job;
  const mode = resolveMode(request.output, io.stdout, io.env);
  const runId = newRunId();
  const flow = new OutputFlow();
  const runLog = createRunLog(graph.root, runId, flow);
  const observers = await startObservers({ graph, names, concurrency: job.concurrency, runId, cwd: job.cwd, profile: request.profile, io });
  const output = openOutput(io, flow, REPORTERS[mode].live);
  const reporter = await reporterFor(job, mode, output, () => runLog.dir());
  if (job.changed) reporter(job.changed);
  const signals = signalsFor(job, reporter, REPORTERS[mode].machine);
  const sinks: EventSink[] = [observers?.sink, runLog.sink, reporter].filter((sink) => sink !== undefined);
  try {
    const result = await run(names, runOptions(job, { runId, flow, output, reporter, signals, sinks, taskEnv: observers?.taskEnv }));
    await reporter.close?.();
    output.flush();
    await observers?.finish();
    return exitCode(job, result, output.failed.aborted, signals);
  } finally {
    // Written even when the run threw: the log is where a failure is looked for.
    await runLog.close();
    output.flush();
    signals?.dispose();
  }
}

/** The run's stdout and stderr, held while the output is slow; `failed` is aborted once either cannot be written. */
interface RunOutput {
  out: OutputWriter;
  err: OutputWriter;
  flush(): void;
  failed: AbortSignal;
}

function openOutput(io: CliIO, flow: OutputFlow, live: boolean): RunOutput {
  // A stdout or stderr that cannot be written (a full disk, a closed pipe) stops the run: nobody sees it.
  const failed = new AbortController();
  const onFailed = (name: string) => (error: NodeJS.ErrnoException) => {
    if (failed.signal.aborted) return;
    failed.abort();
    try {
      io.stderr.write(`mity: cannot write to ${name} (${error.code ?? error.message}): stopping the run\n`);
    } catch {
      // stderr is gone too: the exit code says it.
    }
  };
  const out = new OutputWriter(io.stdout, { name: "stdout", flow, direct: live, onFailed: onFailed("stdout") });
  const err = new OutputWriter(io.stderr, { name: "stderr", flow, direct: live, onFailed: onFailed("stderr") });
  const flush = () => {
    out.flush();
    err.flush();
  };
  return { out, err, flush, failed: failed.signal };
}

function reporterFor(job: RunRequest, mode: ReporterMode, output: RunOutput, logDir: () => string | undefined): Promise<Reporter> {
  const { graph, names, io } = job;
  const { live } = REPORTERS[mode];
  const { out, err } = output;
  return createReporter(mode, {
    style: job.style,
    verbosity: job.request.verbosity,
    // Only the live view shows tasks in run order; sorting 10,000 tasks for prefixes' width costs 15 ms.
    tasks: (live ? orderTasks(graph, names) : selectTasks(graph, names)).map((task) => task.name),
    out: out.write,
    err: err.write,
    bytes: (stream, data) => (stream === "stderr" ? err : out).write(data),
    rows: () => io.stdout.rows ?? 24,
    columns: () => io.stdout.columns ?? 80,
    githubActions: io.env.GITHUB_ACTIONS === "true",
    logDir: () => {
      const dir = logDir();
      return dir === undefined ? undefined : relative(job.cwd, dir) || ".";
    },
  });
}

/** Ctrl-C and SIGTERM: the first stops the run with the grace period, the second kills; each is said where it shows. */
function signalsFor(job: RunRequest, reporter: Reporter, machine: boolean): RunSignals | undefined {
  const { io, request } = job;
  if (!io.signals) return undefined;
  return watchSignals(
    io.signals,
    (signal) => {
      // The live view says it in place (a line written under it would wait for the view to end).
      if (reporter.stopping) reporter.stopping(signal, false);
      else if (request.verbosity !== "silent" && !machine) io.stderr.write(`\nmity: ${signal}: stopping running tasks (again to kill them now)\n`);
    },
    (signal) => reporter.stopping?.(signal, true),
  );
}

interface RunParts {
  /** Names the run's log folder and its record in the history. */
  runId: string;
  flow: OutputFlow;
  output: RunOutput;
  reporter: Reporter;
  signals: RunSignals | undefined;
  /** Every event goes to each, in order: the observers, the run log, then the reporter (the history has it first, in run()). */
  sinks: readonly EventSink[];
  taskEnv: RunOptions["taskEnv"];
}

/** What the command line asked for, as the API's options. */
function runOptions(job: RunRequest, parts: RunParts): RunOptions {
  const { graph, names, request, io } = job;
  const { output, reporter, signals, sinks } = parts;
  const options: RunOptions = {
    graph,
    ...givenSettings(request),
    concurrency: job.concurrency,
    env: io.env,
    params: job.params,
    yes: request.yes,
    confirm: io.prompt,
    staged: job.staged,
    skip: job.skip,
    force: request.forceAll ? "all" : request.force ? names : undefined,
    onWarning: (message) => io.stderr.write(`mity: warning: ${message}\n`),
    onError: (message) => io.stderr.write(`mity: ${message}\n`),
    extraEnv: job.extraEnv,
    signal: eitherAborted(signals?.interrupt, output.failed),
    flow: parts.flow,
    killSignal: signals?.kill,
    taskEnv: parts.taskEnv,
    graceMs: request.graceMs,
    redis: request.pools.redis,
    poolWaitMs: request.pools.poolWaitMs,
    history: { id: parts.runId, options: askedBy(request, names) },
    onEvent: (event) => {
      for (let at = 0; at < sinks.length; at++) sinks[at]!(event);
      // An interactive task writes straight to the terminal: what came before it must be out first.
      if (event.event === "start" && graph.tasks.get(event.task)?.interactive) output.flush();
    },
    beforeInteractive: reporter.yieldTerminal ?? (async () => (output.flush(), () => {})),
    // A change told while the run goes on happens at the run's time.
    onStart: job.onStart && ((handle) => job.onStart!({ restart: handle.restart, report: (event) => reporter({ ...event, time: handle.now() }) })),
  };
  return job.services ? withServices(options, job.services) : options;
}

/** The options of the command line that change what a run does, as they would be typed again (param values and `--` words are left out: they may hold secrets). */
function askedBy(request: CliRequest, names: readonly string[]): string[] {
  const force = request.forceAll ? "all" : request.force ? names : undefined;
  const asked = askedOptions({ parallel: request.parallel, concurrency: request.concurrency, keepGoing: request.keepGoing, failFast: request.failFast, force });
  return request.hook === undefined ? asked : [`--hook ${request.hook}`, ...asked];
}

function exitCode(job: RunRequest, result: RunResult, outputFailed: boolean, signals: RunSignals | undefined): number {
  if (outputFailed) return EXIT.failed;
  if (result.state === "interrupted") return EXIT[signals?.received() ?? "SIGINT"];
  if (result.state === "ok" && job.onSuccess) {
    const counts = new Map<string, number>();
    for (const task of result.tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    job.onSuccess([...counts].map(([state, count]) => `${count} ${state}`).join(", ") + ` · ${formatDuration(result.duration)}`);
  }
  return result.state === "ok" ? EXIT.ok : EXIT.failed;
}

/** A signal aborted when either one is (AbortSignal.any comes only with Node 20.3). */
function eitherAborted(first: AbortSignal | undefined, second: AbortSignal): AbortSignal {
  if (!first) return second;
  const both = new AbortController();
  const abort = () => both.abort();
  for (const signal of [first, second]) {
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  }
  return both.signal;
}
