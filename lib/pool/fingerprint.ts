import { relative } from "node:path";
import type { TaskNode } from "../graph/graph.js";
import { sha256 } from "../util/hash.js";

/**
 * A short hash of what a task is, the same in every checkout of the project: what it runs, its deps,
 * params, environment, files and limits, with paths taken relative to the root mityfile's folder, so
 * that two clones at different places agree and a changed definition does not.
 */
export function fingerprint(task: TaskNode, root: string): string {
  const here = (path: string) => relative(root, path) || ".";
  const run = Array.isArray(task.run) ? task.run : typeof task.run === "function" ? [`function:${task.run.toString()}`] : [];
  const sorted = (record: Readonly<Record<string, string>>) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const definition = {
    name: task.name,
    run,
    deps: task.deps,
    params: task.params,
    env: sorted(task.env),
    cwd: here(task.cwd),
    dotenv: task.dotenv.map(here),
    optionalDotenv: (task.optionalDotenv ?? []).map(here),
    inputs: task.inputs,
    outputs: task.outputs,
    secrets: task.secrets,
    timeout: task.timeout ?? null,
    lock: task.lock ?? null,
    pool: task.pool ?? null,
  };
  return sha256(JSON.stringify(definition)).slice(0, 16);
}
