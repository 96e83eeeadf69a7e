/** The public API of mity: what a mityfile imports and what programs drive mity with. */
import type { LoadOptions, RunOptions, RunResult } from "./api.js";
import type { Graph } from "./graph/graph.js";
import type { MityConfig } from "./types.js";

// Every mityfile imports this module, so it loads as few others as it can.
export { CommandError, MityError } from "./util/errors.js";
export type { LoadOptions, RunOptions, RunResult } from "./api.js";
export type { Graph, TaskNode } from "./graph/graph.js";
export type { OutputGate } from "./run/flow.js";
export type { MityEvent, StartEvent, CommandEvent, OutputEvent, ChunkEvent, EndEvent, SummaryEvent, ReadyEvent, ChangeEvent, RunState } from "./run/events.js";
export type { CiConfig, CommandResult, DepName, IncludeRepository, MityConfig, ParamSpec, ParamType, ParamValues, RunContext, RunFunction, TaskConfig, TaskOutcome, TaskState } from "./types.js";

declare global {
  // What mity's types use of AbortSignal, for a project whose types have neither the DOM lib nor @types/node (either one merges with it).
  interface AbortSignal {
    readonly aborted: boolean;
  }
}

/**
 * Returns its argument. It exists so editors complete task fields and the compiler checks the names in
 * `deps`, `default` and `hooks` against the declared tasks.
 */
export function defineConfig<const T>(config: MityConfig<T>): MityConfig<T> {
  return config;
}

// The engine loads only when a program calls load() or run().

/** Finds and loads a mityfile with its includes, checks it, and returns its tasks. */
export async function load(options: LoadOptions = {}): Promise<Graph> {
  return (await import("./api.js")).load(options);
}

/**
 * Runs tasks (with their deps) and resolves to the outcome of every task. It does not throw for a
 * failing task: look at `state`. It throws a `MityError` when nothing could run (unknown task, bad mityfile).
 */
export async function run(tasks: string | readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
  return (await import("./api.js")).run(tasks, options);
}
