import { relative } from "node:path";
import { run, withServices, type RunOptions } from "../api.js";
import type { Services } from "../run/service.js";
import type { Graph, TaskNode } from "../graph/graph.js";
import { formatDuration } from "../util/duration.js";
import { orderTasks, selectTasks } from "../graph/plan.js";
import { createReporter, REPORTERS, resolveMode } from "../report/choose.js";
import { createRunLog } from "../report/run-log.js";
import type { ChangeEvent } from "../run/events.js";
import { OutputFlow } from "../run/flow.js";
import { givenSettings } from "../run/settings.js";
import type { Style } from "../util/style.js";
import type { CliRequest } from "./args.js";
import { EXIT, type CliIO } from "./io.js";
import { startObservers } from "./observers.js";
import { OutputWriter } from "./output-writer.js";
import { recordRun } from "./record-run.js";
import { watchSignals } from "./signals.js";

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
  const { graph, names, request, io, cwd } = job;
  const mode = resolveMode(request.output, io.stdout, io.env);
  const { live, machine } = REPORTERS[mode];
  const runId = `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`;
  const flow = new OutputFlow();
  const runLog = createRunLog(graph.root, runId, flow);
  const history = recordRun(graph, names, request, runId, io.version, (message) => io.stderr.write(`mity: warning: ${message}\n`));
  const observers = await startObservers({ graph, names, concurrency: job.concurrency, runId, cwd, profile: request.profile, io });
  // A stdout or stderr that cannot be written (a full disk, a closed pipe) stops the run: nobody sees it.
  const outputFailed = new AbortController();
  const onFailed = (name: string) => (error: NodeJS.ErrnoException) => {
    if (outputFailed.signal.aborted) return;
    outputFailed.abort();
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
  const reporter = await createReporter(mode, {
    style: job.style,
    verbosity: request.verbosity,
    // Only the live view shows tasks in run order; sorting 10,000 tasks for prefixes' width costs 15 ms.
    tasks: (live ? orderTasks(graph, names) : selectTasks(graph, names)).map((task) => task.name),
    out: out.write,
    err: err.write,
    bytes: (stream, data) => (stream === "stderr" ? err : out).write(data),
    rows: () => io.stdout.rows ?? 24,
    columns: () => io.stdout.columns ?? 80,
    githubActions: io.env.GITHUB_ACTIONS === "true",
    logDir: () => {
      const dir = runLog.dir();
      return dir === undefined ? undefined : relative(cwd, dir) || ".";
    },
  });
  if (job.changed) reporter(job.changed);
  const keep = (options: RunOptions) => (job.services ? withServices(options, job.services) : options);
  const signals = io.signals
    ? watchSignals(
        io.signals,
        (signal) => {
          // The live view says it in place (a line written under it would wait for the view to end).
          if (reporter.stopping) reporter.stopping(signal, false);
          else if (request.verbosity !== "silent" && !machine) io.stderr.write(`\nmity: ${signal}: stopping running tasks (again to kill them now)\n`);
        },
        (signal) => reporter.stopping?.(signal, true),
      )
    : undefined;
  try {
    const result = await run(names, keep({
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
      signal: eitherAborted(signals?.interrupt, outputFailed.signal),
      flow,
      killSignal: signals?.kill,
      taskEnv: observers?.taskEnv,
      graceMs: request.graceMs,
      redis: request.pools.redis,
      poolWaitMs: request.pools.poolWaitMs,
      onEvent: (event) => {
        observers?.sink(event);
        runLog.sink(event);
        history.sink(event);
        reporter(event);
        // An interactive task writes straight to the terminal: what came before it must be out first.
        if (event.event === "start" && graph.tasks.get(event.task)?.interactive) flush();
      },
      beforeInteractive: reporter.yieldTerminal ?? (async () => (flush(), () => {})),
      onStart: job.onStart && ((handle) => job.onStart!({ restart: handle.restart, report: reporter })),
    }));
    await reporter.close?.();
    flush();
    await observers?.finish();
    if (outputFailed.signal.aborted) return EXIT.failed;
    if (result.state === "interrupted") return EXIT[signals?.received() ?? "SIGINT"];
    if (result.state === "ok" && job.onSuccess) {
      const counts = new Map<string, number>();
      for (const task of result.tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
      job.onSuccess([...counts].map(([state, count]) => `${count} ${state}`).join(", ") + ` · ${formatDuration(result.duration)}`);
    }
    return result.state === "ok" ? EXIT.ok : EXIT.failed;
  } finally {
    // Written even when the run threw: the log is where a failure is looked for.
    await runLog.close();
    history.save();
    flush();
    signals?.dispose();
  }
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
