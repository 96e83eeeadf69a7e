import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { relative, resolve } from "node:path";
import { paramValues } from "../api.js";
import type { Graph, TaskNode } from "../graph/graph.js";
import { orderTasks, resolveRequested, withoutDeps } from "../graph/plan.js";
import { preflight } from "../graph/preflight.js";
import { toDot, toJson, toMermaid } from "../graph/print.js";
import { describeError, mapStack } from "../util/error-location.js";
import { MityError, isMityError } from "../util/errors.js";
import { colorEnabled, createStyle, type Style } from "../util/style.js";
import type { CliRequest } from "./args.js";
import { readCommandLine } from "./command-line.js";
import { describeDryRun } from "./dry-run.js";
import { editorTypes, writeStarter } from "./init.js";
import { listJson, listText } from "./list.js";
import { withSettings } from "./settings.js";
import { EXIT, type CliIO } from "./io.js";
import { describeTask } from "./task-help.js";

export { EXIT, type CliIO } from "./io.js";

/** Runs the command line and returns the exit code. */
export async function main(io: CliIO): Promise<number> {
  const verbose = io.argv.includes("-v") || io.argv.includes("--verbose");
  try {
    const line = await readCommandLine(io.argv, { cwd: io.cwd, env: io.env, version: io.version, columns: io.stdout.columns });
    if (line.kind === "text") {
      io.stdout.write(`${line.text}\n`);
      return EXIT.ok;
    }
    return await execute(line.request, line.graph, line.params, line.helpFor, io);
  } catch (error) {
    if (isMityError(error)) {
      io.stderr.write(`mity: ${error.describe()}\n`);
      // The mityfile's own lines, not its compiled copy's.
      if (verbose && error.cause instanceof Error && error.cause.stack) io.stderr.write(`${mapStack(error.cause.stack)}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`mity: internal error (please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
    return EXIT.failed;
  }
}

/** The part of `process` that reports errors nothing handled. */
export interface ErrorEvents {
  on(event: "uncaughtException" | "unhandledRejection", listener: (error: unknown) => void): unknown;
}

/**
 * After the run, a run function's timer may still fire before mity exits: what it throws is told in
 * one line, naming its place in the mityfile, and the exit code becomes 1 (not a raw stack from mity).
 */
export function reportLateErrors(events: ErrorEvents, io: Pick<CliIO, "stderr" | "cwd">, setExitCode: (code: number) => void): void {
  const late = (error: unknown) => {
    io.stderr.write(`mity: a task's code let an error escape after the run ended: ${describeError(error, io.cwd)}\n`);
    setExitCode(EXIT.failed);
  };
  events.on("uncaughtException", late);
  events.on("unhandledRejection", late);
}

async function execute(
  request: CliRequest,
  loaded: Graph | undefined,
  params: Record<string, Record<string, unknown>>,
  helpFor: string | undefined,
  io: CliIO,
): Promise<number> {
  const cwd = resolve(io.cwd, request.cwd ?? ".");
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new MityError(`-C/--cwd: ${cwd} is not a directory`);
  const style = createStyle(colorEnabled(io.env, Boolean(io.stdout.isTTY)));
  if (request.init) {
    const path = writeStarter(cwd);
    io.stdout.write(`Wrote ${relative(cwd, path)}. Try "mity --list", then "mity".\n`);
    const types = editorTypes(cwd);
    if (types) io.stdout.write(`${types}\n`);
    return EXIT.ok;
  }
  if (request.completion) {
    const { completionScript } = await import("./completion.js");
    io.stdout.write(completionScript(request.completion));
    return EXIT.ok;
  }
  if (request.uninstallHooks) return (await import("./hooks.js")).uninstallCommand(cwd, io);
  if (request.sync) return (await import("./sync.js")).syncCommand(request, cwd, style, io);
  if (request.pools.job !== undefined || request.pools.worker || request.pools.workers) return (await import("./worker.js")).poolCommand(request, loaded, cwd, style, io);
  let graph = loaded!;
  if (request.runs) return (await import("./runs.js")).runsCommand(graph, request, style, io);
  if (request.report !== undefined) return (await import("./report.js")).reportCommand(graph, request.report, cwd, io);
  if (request.getCompletions) {
    const { completeWords } = await import("./completion.js");
    io.stdout.write(completeWords(graph, request.args).map((word) => `${word}\n`).join(""));
    return EXIT.ok;
  }
  if (helpFor !== undefined) {
    const [name] = resolveRequested(graph, [helpFor]);
    io.stdout.write(describeTask(graph.tasks.get(name!)!, { cwd, style }));
    return EXIT.ok;
  }
  if (request.installHooks || request.hook !== undefined) {
    const hooks = await import("./hooks.js");
    if (request.installHooks) return hooks.installCommand(graph, cwd, io);
    return hooks.hookCommand(graph, await withSettings(request, io.argv, graph.root), cwd, style, io);
  }
  if (request.why !== undefined) return why(graph, request, params, io);
  if (request.export) return (await import("./export.js")).exportCommand(graph, request.tasks, io);
  if (request.list || (request.tasks.length === 0 && graph.defaultTask === undefined && request.graph === undefined)) {
    return list(graph, request, cwd, style, io);
  }
  if (request.graph !== undefined) {
    const unknown = request.tasks.find((word) => !tryResolve(graph, word));
    if (unknown !== undefined && unknown === request.tasks[0]) {
      throw new MityError(`--graph takes a format (dot, mermaid or json) and task names; "${unknown}" is neither`);
    }
    const names = request.tasks.length > 0 ? resolveRequested(graph, request.tasks) : [...graph.tasks.keys()];
    io.stdout.write({ dot: toDot, mermaid: toMermaid, json: toJson }[request.graph](orderTasks(graph, names)));
    return EXIT.ok;
  }
  // Only runs read the settings file: a listing has no use for it.
  request = await withSettings(request, io.argv, graph.root);
  const names = resolveRequested(graph, request.tasks.length > 0 ? request.tasks : [graph.defaultTask!]);
  if (request.noDeps) graph = withoutDeps(graph, names);
  const concurrency = request.concurrency ?? availableParallelism();
  const blockers = await preflight(graph, names, { yes: request.yes, canAsk: io.prompt !== undefined });
  if (request.dryRun) {
    const order = orderTasks(graph, names);
    const predictions = await predictRun(graph, order, request, names, params, io);
    io.stdout.write(describeDryRun(order, { parallel: request.parallel, concurrency, style, predictions, params: paramValues(graph, names, params) }));
    return reportBlockers(blockers, io);
  }
  if (blockers[0]) throw blockers[0];
  if (request.watch) return (await import("./watch.js")).watchCommand({ graph, names, params, request, concurrency, cwd, style, io });
  const { runTasks } = await import("./run-tasks.js");
  return runTasks({ graph, names, params, request, concurrency, cwd, style, io });
}

/** What a run would do to each task of `order`, from the state earlier runs left. */
async function predictRun(
  graph: Graph,
  order: readonly TaskNode[],
  request: CliRequest,
  names: readonly string[],
  params: Record<string, Record<string, unknown>>,
  io: CliIO,
) {
  const { StateStore } = await import("../state/store.js");
  const { predict } = await import("../state/explain.js");
  const state = StateStore.load(graph.root);
  if (state.warning) io.stderr.write(`mity: warning: ${state.warning}\n`);
  const force = request.forceAll ? ("all" as const) : new Set(request.force ? names : []);
  // The same checked values, defaults included, that a run would use.
  return predict(order, state, { force, params: paramValues(graph, names, params) });
}

/** `--why <task>`: the first reason the task would run, or why it is up to date. */
async function why(graph: Graph, request: CliRequest, params: Record<string, Record<string, unknown>>, io: CliIO): Promise<number> {
  const [name] = resolveRequested(graph, [request.why!]);
  const predictions = await predictRun(graph, orderTasks(graph, [name!]), request, [name!], params, io);
  const prediction = predictions.get(name!)!;
  io.stdout.write(`${name} ${prediction.runs ? "would run" : "is up to date"}: ${prediction.reason}\n`);
  return reportBlockers(await preflight(graph, [name!], { yes: request.yes, canAsk: io.prompt !== undefined }), io);
}

/** For -n and --why: what would stop a run before anything ran, and the exit code that run would have. */
function reportBlockers(blockers: readonly MityError[], io: CliIO): number {
  for (const blocker of blockers) io.stderr.write(`mity: a run would stop before anything runs: ${blocker.describe()}\n`);
  return blockers.length > 0 ? EXIT.usage : EXIT.ok;
}

function tryResolve(graph: Graph, word: string): boolean {
  try {
    resolveRequested(graph, [word]);
    return true;
  } catch {
    return false;
  }
}

/** `--list`, `--list --json`, and `--list ns:` for one namespace. */
async function list(graph: Graph, request: CliRequest, cwd: string, style: Style, io: CliIO): Promise<number> {
  const prefixes = request.tasks.map((word) => (word.endsWith(":") ? word : `${word}:`));
  let shown = graph;
  if (prefixes.length > 0) {
    const tasks = new Map([...graph.tasks].filter(([name]) => prefixes.some((prefix) => name.startsWith(prefix))));
    if (tasks.size === 0) throw new MityError(`no namespace ${request.tasks.join(", ")} in ${graph.file}`);
    shown = { ...graph, tasks };
  }
  io.stdout.write(request.json ? listJson(shown, request.all) : listText(shown, { all: request.all, cwd, style }));
  if (graph.missing) (request.json ? io.stderr : io.stdout).write((await import("../team/missing.js")).describeMissing(graph.missing, cwd));
  return EXIT.ok;
}
