import type { MityConfig, TaskConfig } from "../types.js";
import { MityError } from "../util/errors.js";
import { parseDuration } from "../util/duration.js";
import { didYouMean } from "./suggest.js";
import { NAME_PATTERN } from "./names.js";
import { validateParams } from "./params.js";
import { checkHookNames, isHookName } from "../hooks/names.js";

const CONFIG_FIELDS = ["default", "env", "include", "hooks", "tasks"];
const TASK_FIELDS = ["description", "deps", "concurrent", "run", "cwd", "env", "hidden", "timeout", "interactive", "lock", "params", "confirm", "dotenv", "inputs", "outputs"];
const TASK_FIELD_SET = new Set(TASK_FIELDS);
const STRING_FIELDS = ["description", "cwd", "lock", "confirm"] as const;
const BOOLEAN_FIELDS = ["concurrent", "hidden", "interactive"] as const;
const PATTERN_FIELDS = ["inputs", "outputs"] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const kind = (value: unknown): string => {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
};

/** Checks the shape of one mityfile's default export; every message names the file, task and field. */
export function validateConfig(file: string, config: unknown): MityConfig {
  if (!isObject(config)) {
    throw new MityError(`the default export must be an object with "tasks", not ${kind(config)}`, { file });
  }
  for (const key of Object.keys(config)) {
    if (!CONFIG_FIELDS.includes(key)) {
      throw new MityError(`unknown top-level field "${key}".${didYouMean(key, CONFIG_FIELDS)} Fields: ${CONFIG_FIELDS.join(", ")}`, { file, field: key });
    }
  }
  if (!isObject(config.tasks)) throw new MityError(`must be an object of tasks, not ${kind(config.tasks)}`, { file, field: "tasks" });
  if (config.default !== undefined && typeof config.default !== "string") {
    throw new MityError(`must be a task name (string), not ${kind(config.default)}`, { file, field: "default" });
  }
  checkEnv(config.env, { file, field: "env" });
  if (config.hooks !== undefined) {
    if (!isObject(config.hooks)) throw new MityError("must be an object mapping a git hook to task names", { file, field: "hooks" });
    for (const [hook, names] of Object.entries(config.hooks)) {
      if (!isHookName(hook)) {
        try {
          checkHookNames([hook]);
        } catch (error) {
          throw new MityError((error as Error).message, { file, field: `hooks.${hook}` });
        }
      }
      checkStrings(names, { file, field: `hooks.${hook}` });
    }
  }
  for (const [name, task] of Object.entries(config.tasks)) validateTask(file, name, task);
  return config as unknown as MityConfig;
}

function validateTask(file: string, name: string, task: unknown): asserts task is TaskConfig {
  function at(): { file: string; task: string };
  function at(field: string): { file: string; task: string; field: string };
  function at(field?: string) {
    return field === undefined ? { file, task: name } : { file, task: name, field };
  }
  if (!NAME_PATTERN.test(name)) {
    throw new MityError('is not a valid task name: use letters, digits, ".", "_" and "-" (":" separates namespaces)', at());
  }
  if (!isObject(task)) throw new MityError(`must be an object like { run: "..." }, not ${kind(task)}`, at());
  for (const field of Object.keys(task)) {
    if (!TASK_FIELD_SET.has(field)) {
      throw new MityError(`unknown field.${didYouMean(field, TASK_FIELDS)} Task fields: ${TASK_FIELDS.join(", ")}`, at(field));
    }
  }
  for (const field of STRING_FIELDS) {
    if (task[field] !== undefined && typeof task[field] !== "string") throw new MityError(`must be a string, not ${kind(task[field])}`, at(field));
  }
  if (task.lock === "") throw new MityError("must not be empty", at("lock"));
  for (const field of BOOLEAN_FIELDS) {
    if (task[field] !== undefined && typeof task[field] !== "boolean") throw new MityError(`must be true or false, not ${kind(task[field])}`, at(field));
  }
  if (task.deps !== undefined) checkStrings(task.deps, at("deps"));
  if (task.params !== undefined) validateParams(task.params, at());
  if (task.dotenv !== undefined && typeof task.dotenv !== "string") checkStrings(task.dotenv, at("dotenv"));
  for (const field of PATTERN_FIELDS) {
    if (task[field] === undefined) continue;
    checkStrings(task[field], at(field));
    if ((task[field] as string[]).some((pattern) => pattern.trim() === "" || pattern === "!")) throw new MityError("holds an empty pattern", at(field));
    if (task.run === undefined) throw new MityError("a task without run (a group) has nothing to check: move the patterns to the task that does the work", at(field));
  }
  checkEnv(task.env, at("env"));
  const run = task.run;
  if (run !== undefined && typeof run !== "string" && typeof run !== "function") {
    if (!Array.isArray(run)) throw new MityError(`must be a command string, an array of them, or a function, not ${kind(run)}`, at("run"));
    checkStrings(run, at("run"));
    if (run.length === 0) throw new MityError("is an empty list of commands", at("run"));
  }
  if (typeof run === "string" && run.trim() === "") throw new MityError("is an empty command", at("run"));
  if (Array.isArray(run)) {
    const empty = (run as string[]).findIndex((command) => command.trim() === "");
    if (empty !== -1) throw new MityError(`command ${empty} is empty`, at("run"));
  }
  if (task.timeout !== undefined) {
    const valid = (typeof task.timeout === "number" || typeof task.timeout === "string") && parseDuration(task.timeout) !== undefined;
    if (!valid) throw new MityError(`must be a positive number of milliseconds or a string like "90s", "5m", not ${typeof task.timeout === "number" ? String(task.timeout) : JSON.stringify(task.timeout)}`, at("timeout"));
  }
}

function checkStrings(value: unknown, place: { file: string; task?: string; field: string }): void {
  if (!Array.isArray(value)) throw new MityError(`must be an array of strings, not ${kind(value)}`, place);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw new MityError(`item ${i} must be a string, not ${kind(item)}`, place);
  });
}

function checkEnv(value: unknown, place: { file: string; task?: string; field: string }): void {
  if (value === undefined) return;
  if (!isObject(value)) throw new MityError(`must be an object of strings, not ${kind(value)}`, place);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") throw new MityError(`"${key}" must be a string, not ${kind(item)} (write ${JSON.stringify(String(item))})`, place);
  }
}
