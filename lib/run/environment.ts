import { delimiter, dirname, join } from "node:path";
import type { TaskNode } from "../graph/graph.js";

/**
 * `node_modules/.bin` of `dir` and of every folder above it, nearest first, as npm scripts get them:
 * whether or not each exists yet, so a task finds what an earlier one (`npm ci`) has just installed.
 */
export function localBinDirs(dir: string): string[] {
  const found: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    found.push(join(current, "node_modules", ".bin"));
    if (dirname(current) === current) return found;
  }
}

export type TaskEnvironment = (
  task: TaskNode,
  extra?: { dotenv?: Readonly<Record<string, string>>; params?: Readonly<Record<string, string>> },
) => Record<string, string>;

/**
 * Builds the tasks' environments of one run, later sources winning: the process's, the mityfile's
 * `env`, the task's dotenv files, the task's own `env`, its params (`MITY_PARAM_*`), then mity's own
 * variables. What every task shares is worked out once, not once per task.
 */
export function taskEnvironments(base: Readonly<Record<string, string | undefined>>, root: string): TaskEnvironment {
  const shared: Record<string, string> = {};
  for (const key of Object.keys(base)) {
    const value = base[key];
    // Params of an outer mity (a task that runs mity again) are not this task's params.
    if (value !== undefined && !key.startsWith("MITY_PARAM_")) shared[key] = value;
  }
  const pathKey = Object.keys(shared).find((key) => key.toUpperCase() === "PATH") ?? "PATH";
  const binsOf = new Map<string, string>();
  return (task, extra = {}) => {
    const env = Object.assign({ ...shared }, task.fileEnv, extra.dotenv, task.ownEnv, extra.params, { MITY_TASK: task.name, MITY_ROOT: root });
    let bins = binsOf.get(task.cwd);
    if (bins === undefined) binsOf.set(task.cwd, (bins = localBinDirs(task.cwd).join(delimiter)));
    env[pathKey] = env[pathKey] ? `${bins}${delimiter}${env[pathKey]}` : bins;
    return env;
  };
}
