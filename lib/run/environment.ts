import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import type { TaskNode } from "../graph/graph.js";

/**
 * Every `node_modules/.bin` from `dir` up to the filesystem root, nearest first (as npm scripts see
 * them). Looked for again for each task: an earlier task (`npm ci`) may have just made one.
 */
function localBinDirs(dir: string): string[] {
  const found: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    const bin = join(current, "node_modules", ".bin");
    if (existsSync(bin)) found.push(bin);
    if (dirname(current) === current) return found;
  }
}

/**
 * A task's environment, later ones winning: the process's, the mityfile's `env`, the task's dotenv
 * files, the task's own `env`, its params (`MITY_PARAM_*`), then mity's own variables.
 */
export function taskEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  task: TaskNode,
  root: string,
  extra: { dotenv?: Readonly<Record<string, string>>; params?: Readonly<Record<string, string>> } = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  // Params of an outer mity (a task that runs mity again) are not this task's params.
  for (const key of Object.keys(env)) if (key.startsWith("MITY_PARAM_")) delete env[key];
  Object.assign(env, task.fileEnv, extra.dotenv, task.ownEnv, extra.params, { MITY_TASK: task.name, MITY_ROOT: root });
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === "PATH") ?? "PATH";
  const bins = localBinDirs(task.cwd);
  if (bins.length > 0) env[pathKey] = [...bins, env[pathKey]].filter(Boolean).join(delimiter);
  return env;
}
