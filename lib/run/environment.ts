import { delimiter, dirname, join } from "node:path";
import type { TaskNode } from "../graph/graph.js";
import { addSecret, isSecretName, maskMaker, secretRules, type Mask } from "./secrets.js";

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

const NO_RULES: ReadonlyMap<string, boolean> = new Map();

type Extra = { dotenv?: Readonly<Record<string, string>>; params?: Readonly<Record<string, string>> };

export interface TaskEnvironment {
  /** The environment of a task's commands. */
  env(task: TaskNode, extra?: Extra): Record<string, string>;
  /** What hides the task's secret values in all it shows, or `undefined` when it has none. */
  mask(task: TaskNode, extra?: Extra): Mask | undefined;
}

/**
 * Builds the tasks' environments of one run, later sources winning: the process's, the mityfile's
 * `env`, the task's dotenv files, the task's own `env`, its params (`MITY_PARAM_*`), then mity's own
 * variables and those `ownEnv` gives the task (its `TRACEPARENT`). What every task shares is worked
 * out once, not once per task.
 */
export function taskEnvironments(
  base: Readonly<Record<string, string | undefined>>,
  root: string,
  ownEnv?: (task: string) => Readonly<Record<string, string>>,
): TaskEnvironment {
  const shared: Record<string, string> = {};
  for (const key of Object.keys(base)) {
    const value = base[key];
    // Params of an outer mity (a task that runs mity again) are not this task's params.
    if (value !== undefined && !key.startsWith("MITY_PARAM_")) shared[key] = value;
  }
  const pathKey = Object.keys(shared).find((key) => key.toUpperCase() === "PATH") ?? "PATH";
  const binsOf = new Map<string, string>();
  // The process's variables that look secret, found once for the run.
  const sharedSecrets = Object.keys(shared).filter((key) => isSecretName(key, NO_RULES));
  const maskOf = maskMaker();
  return {
    env(task, extra = {}) {
      const env = Object.assign({ ...shared }, task.fileEnv, extra.dotenv, task.ownEnv, extra.params, { MITY_TASK: task.name, MITY_ROOT: root }, ownEnv?.(task.name));
      let bins = binsOf.get(task.cwd);
      if (bins === undefined) binsOf.set(task.cwd, (bins = localBinDirs(task.cwd).join(delimiter)));
      env[pathKey] = env[pathKey] ? `${bins}${delimiter}${env[pathKey]}` : bins;
      return env;
    },
    mask(task, extra = {}) {
      const rules = task.secrets.length === 0 ? NO_RULES : secretRules(task.secrets);
      const values = new Set<string>();
      for (const name of sharedSecrets) if (rules.get(name) !== false) addSecret(values, shared[name]);
      for (const [name, secret] of rules) if (secret) addSecret(values, shared[name]);
      // Every layer counts, not only the winner: a run function may still print an overridden value.
      for (const layer of [task.fileEnv, extra.dotenv, task.ownEnv, extra.params]) {
        if (layer) for (const name of Object.keys(layer)) if (isSecretName(name, rules)) addSecret(values, layer[name]);
      }
      return maskOf(values);
    },
  };
}
