import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { relative, resolve } from "node:path";
import { load, run } from "../api.js";
import { orderTasks, resolveRequested } from "../graph/plan.js";
import { toDot, toJson, toMermaid } from "../graph/print.js";
import { createReporter, type OutputMode } from "../report/choose.js";
import { createRunLog } from "../report/run-log.js";
import { MityError, isMityError } from "../util/errors.js";
import { colorEnabled, createStyle } from "../util/style.js";
import { parseArgs, type CliRequest } from "./args.js";
import { describeDryRun } from "./dry-run.js";
import { writeStarter } from "./init.js";
import { listJson, listText } from "./list.js";
import { watchSignals, type SignalSource } from "./signals.js";

/** Everything the command line needs from the outside world, passed in so it can be tested with fakes. */
export interface CliIO {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number; rows?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  signals?: SignalSource;
  version: string;
}

const EXIT = { ok: 0, failed: 1, usage: 2, SIGINT: 130, SIGTERM: 143 } as const;

/** Runs the command line and returns the exit code. */
export async function main(io: CliIO): Promise<number> {
  let verbose = io.argv.includes("-v") || io.argv.includes("--verbose");
  try {
    const parsed = await parseArgs(io.argv, io.version, io.stdout.columns);
    if ("text" in parsed) {
      io.stdout.write(`${parsed.text}\n`);
      return EXIT.ok;
    }
    verbose = parsed.request.verbosity === "verbose";
    return await execute(parsed.request, io);
  } catch (error) {
    if (isMityError(error)) {
      io.stderr.write(`mity: ${error.describe()}\n`);
      if (verbose && error.cause instanceof Error && error.cause.stack) io.stderr.write(`${error.cause.stack}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`mity: internal error (please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
    return EXIT.failed;
  }
}

/** `auto`: the live view on a terminal outside CI, prefixed lines otherwise; `tty` only where a terminal is. */
function chooseMode(requested: OutputMode, io: CliIO): Exclude<OutputMode, "auto"> {
  // A terminal of no known width (a bare pseudo-terminal) cannot hold a live view.
  const terminal = Boolean(io.stdout.isTTY) && Boolean(io.stdout.columns) && io.env.TERM !== "dumb";
  if (requested === "auto") return terminal && !io.env.CI ? "tty" : "prefix";
  if (requested === "tty" && !terminal) return "prefix";
  return requested;
}

async function execute(request: CliRequest, io: CliIO): Promise<number> {
  const cwd = resolve(io.cwd, request.cwd ?? ".");
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new MityError(`-C/--cwd: ${cwd} is not a directory`);
  const style = createStyle(colorEnabled(io.env, Boolean(io.stdout.isTTY)));
  if (request.init) {
    const path = writeStarter(cwd);
    io.stdout.write(`Wrote ${relative(cwd, path)}. Try "mity --list", then "mity".\n`);
    return EXIT.ok;
  }
  const graph = await load({ cwd, mityfile: request.mityfile, global: request.global, env: io.env });
  const concurrency = request.concurrency ?? availableParallelism();
  if (request.list || (request.tasks.length === 0 && graph.defaultTask === undefined && request.graph === undefined)) {
    io.stdout.write(request.json ? listJson(graph, request.all) : listText(graph, { all: request.all, cwd, style }));
    return EXIT.ok;
  }
  if (request.graph !== undefined) {
    const names = request.tasks.length > 0 ? resolveRequested(graph, request.tasks) : [...graph.tasks.keys()];
    const tasks = orderTasks(graph, names);
    io.stdout.write({ dot: toDot, mermaid: toMermaid, json: toJson }[request.graph](tasks));
    return EXIT.ok;
  }
  const names = resolveRequested(graph, request.tasks.length > 0 ? request.tasks : [graph.defaultTask!]);
  if (request.dryRun) {
    io.stdout.write(describeDryRun(orderTasks(graph, names), { parallel: request.parallel, concurrency, style }));
    return EXIT.ok;
  }
  const mode = chooseMode(request.output, io);
  const runId = `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`;
  const runLog = createRunLog(graph.root, runId);
  const reporter = await createReporter(mode, {
    rows: () => io.stdout.rows ?? 24,
    githubActions: io.env.GITHUB_ACTIONS === "true",
    logDir: runLog ? relative(cwd, runLog.dir) || "." : undefined,
    style,
    verbosity: request.verbosity,
    tasks: orderTasks(graph, names).map((task) => task.name),
    out: (text) => io.stdout.write(text),
    err: (text) => io.stderr.write(text),
  });
  const signals = io.signals ? watchSignals(io.signals, (signal) => {
    if (request.verbosity !== "silent" && mode !== "json") io.stderr.write(`\nmity: ${signal}: stopping running tasks (again to kill them now)\n`);
  }) : undefined;
  try {
    const result = await run(names, {
      graph,
      concurrency,
      parallel: request.parallel,
      keepGoing: request.keepGoing,
      failFast: request.failFast,
      args: request.args,
      env: io.env,
      signal: signals?.interrupt,
      killSignal: signals?.kill,
      graceMs: request.graceMs,
      onEvent: runLog ? (event) => (runLog.sink(event), reporter(event)) : reporter,
      beforeInteractive: reporter.yieldTerminal,
    });
    await reporter.close?.();
    if (result.state === "interrupted") return EXIT[signals?.received() ?? "SIGINT"];
    return result.state === "ok" ? EXIT.ok : EXIT.failed;
  } finally {
    signals?.dispose();
  }
}
