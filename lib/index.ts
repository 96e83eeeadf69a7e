/** The public API of mity: what a mityfile imports and what programs drive mity with. */
export { defineConfig } from "./define.js";
export { load, run, type LoadOptions, type RunOptions, type RunResult } from "./api.js";
export { MityError } from "./util/errors.js";
export { CommandError } from "./run/context.js";
export type { Graph, TaskNode } from "./graph/graph.js";
export type { MityEvent, StartEvent, CommandEvent, OutputEvent, EndEvent, SummaryEvent, RunState } from "./run/events.js";
export type { CommandResult, DepName, MityConfig, RunContext, RunFunction, TaskConfig, TaskOutcome, TaskState } from "./types.js";
