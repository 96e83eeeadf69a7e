import type { MityConfig, TaskConfig } from "../types.js";
import { MityError } from "../util/errors.js";
import { parseDuration } from "../util/duration.js";
import { didYouMean } from "./suggest.js";
import { nameProblem } from "./names.js";
import { validateParams } from "./params.js";
import { checkCi } from "./ci.js";
import { checkService } from "./service.js";
import { checkHookNames, isHookName } from "../hooks/names.js";
import { isObject } from "../util/is-object.js";

const CONFIG_FIELDS = ["default", "env", "secrets", "include", "hooks", "tasks", "ci"];
const TASK_FIELDS = ["description", "deps", "concurrent", "run", "cwd", "env", "hidden", "timeout", "interactive", "lock", "params", "confirm", "dotenv", "inputs", "outputs", "secrets", "retries", "service", "ready", "pool"];
const TASK_FIELD_SET = new Set(TASK_FIELDS);

const kind = (value: unknown): string => {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
};

type Place = { file: string; task?: string; field?: string };

/**
 * A copy of an object's own fields, each read once: a getter that throws is the mityfile's mistake,
 * named by its place, and one that answers differently each time cannot pass the checks with one value
 * and run with another.
 */
function readFields(value: Record<string, unknown>, placeOf: (key: string) => Place): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    try {
      copy[key] = value[key];
    } catch (error) {
      throw new MityError(`reading it threw: ${error instanceof Error ? error.message : String(error)}`, placeOf(key), { cause: error });
    }
  }
  return copy;
}

/** Checks the shape of one mityfile's default export; every message names the file, task and field. */
export function validateConfig(file: string, exported: unknown): MityConfig {
  if (!isObject(exported)) {
    throw new MityError(`the default export must be an object with "tasks", not ${kind(exported)}`, { file });
  }
  const config = readFields(exported, (key) => ({ file, field: key }));
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
  if (config.ci !== undefined) checkCi(config.ci, file);
  if (config.secrets !== undefined) checkSecrets(config.secrets, { file, field: "secrets" });
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
  const tasks = readFields(config.tasks, (name) => ({ file, task: name }));
  for (const name of Object.keys(tasks)) tasks[name] = validateTask(file, name, tasks[name]);
  return { ...config, tasks } as unknown as MityConfig;
}

/** The task's fields, checked, as a plain object. */
function validateTask(file: string, name: string, given: unknown): TaskConfig {
  function at(): { file: string; task: string };
  function at(field: string): { file: string; task: string; field: string };
  function at(field?: string) {
    return field === undefined ? { file, task: name } : { file, task: name, field };
  }
  const problem = nameProblem(name);
  if (problem !== undefined) throw new MityError(problem, at());
  if (!isObject(given)) throw new MityError(`must be an object like { run: "..." }, not ${kind(given)}`, at());
  const task = readFields(given, at);
  const fields = Object.keys(task);
  for (const field of fields) {
    if (!TASK_FIELD_SET.has(field)) {
      throw new MityError(`unknown field.${didYouMean(field, TASK_FIELDS)} Task fields: ${TASK_FIELDS.join(", ")}`, at(field));
    }
  }
  if (task.service !== undefined || task.ready !== undefined) checkService(task, at());
  // Only the fields a task has are checked: a mityfile may hold thousands of tasks of two fields each.
  for (const field of fields) {
    const value = task[field];
    if (value === undefined) continue;
    switch (field as keyof TaskConfig) {
      case "description":
      case "cwd":
      case "lock":
      case "confirm":
        if (typeof value !== "string") throw new MityError(`must be a string, not ${kind(value)}`, at(field));
        if (field === "lock" && value === "") throw new MityError("must not be empty", at(field));
        break;
      case "concurrent":
      case "hidden":
      case "interactive":
        if (typeof value !== "boolean") throw new MityError(`must be true or false, not ${kind(value)}`, at(field));
        break;
      case "deps":
        checkStrings(value, at(field));
        break;
      case "params":
        validateParams(value, at());
        break;
      case "dotenv":
        checkDotenv(value, at(field));
        break;
      case "inputs":
      case "outputs":
        checkStrings(value, at(field));
        if ((value as string[]).some((pattern) => pattern.trim() === "" || pattern === "!")) throw new MityError("holds an empty pattern", at(field));
        if (task.run === undefined) throw new MityError("a task without run (a group) has nothing to check: move the patterns to the task that does the work", at(field));
        break;
      case "env":
        checkEnv(value, at(field));
        break;
      case "secrets":
        checkSecrets(value, at(field));
        break;
      case "run":
        checkRun(value, at(field));
        break;
      case "retries":
        if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
          throw new MityError(`must be a whole number of runs after a failed one, 0 or more, not ${typeof value === "number" ? String(value) : (JSON.stringify(value) ?? kind(value))}`, at(field));
        }
        break;
      case "pool":
        checkPool(value, task, at(field));
        break;
      case "timeout": {
        const valid = (typeof value === "number" || typeof value === "string") && parseDuration(value) !== undefined;
        // Digits enough to overflow a number: no timer can wait that long, and none was meant to.
        if (valid && !Number.isFinite(parseDuration(value)!)) throw new MityError(`is too long to be a duration (${String(value).length} characters): write one like "24h"`, at(field));
        if (!valid) throw new MityError(`must be a positive number of milliseconds or a string like "90s", "5m", not ${typeof value === "number" ? String(value) : JSON.stringify(value)}`, at(field));
        break;
      }
    }
  }
  return task as TaskConfig;
}

function checkRun(run: unknown, place: { file: string; task: string; field: string }): void {
  if (typeof run === "function") return;
  if (typeof run === "string") {
    if (run.trim() === "") throw new MityError("is an empty command", place);
    return;
  }
  if (!Array.isArray(run)) throw new MityError(`must be a command string, an array of them, or a function, not ${kind(run)}`, place);
  checkStrings(run, place);
  if (run.length === 0) throw new MityError("is an empty list of commands", place);
  const empty = (run as string[]).findIndex((command) => command.trim() === "");
  if (empty !== -1) throw new MityError(`command ${empty} is empty`, place);
}

/** A pool name is a queue's name: plain characters, and only for a task that has work to hand over. */
function checkPool(value: unknown, task: Record<string, unknown>, place: { file: string; task: string; field: string }): void {
  if (typeof value !== "string") throw new MityError(`must be a pool name (string), not ${kind(value)}`, place);
  if (!/^[A-Za-z0-9._-]+$/.test(value)) throw new MityError(`must be made of letters, digits, ".", "_" and "-", not ${JSON.stringify(value)}`, place);
  if (task.run === undefined) throw new MityError("a task without run (a group) has no work for a worker: put the pool on the tasks that do the work", place);
  if (task.interactive === true) throw new MityError("an interactive task needs this terminal and cannot run on a worker: drop one of the two", place);
}

/** A path, `{ path, optional }`, or an array of them. */
function checkDotenv(value: unknown, place: Place & { field: string }): void {
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, i) => {
    if (typeof item === "string") return;
    const fields = isObject(item) ? Object.keys(item) : [];
    const valid = isObject(item) && typeof item.path === "string" && (item.optional === undefined || typeof item.optional === "boolean") && fields.every((key) => key === "path" || key === "optional");
    const which = Array.isArray(value) ? `item ${i} ` : "";
    if (!valid) throw new MityError(`${which}must be a path or { path: ".env", optional: true }, not ${isObject(item) ? `{ ${fields.join(", ")} }` : kind(item)}`, place);
  });
}

function checkStrings(value: unknown, place: { file: string; task?: string; field: string }): void {
  if (!Array.isArray(value)) throw new MityError(`must be an array of strings, not ${kind(value)}`, place);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw new MityError(`item ${i} must be a string, not ${kind(item)}`, place);
  });
}

/** Variable names, each maybe after a `!` that opts it out of masking. */
function checkSecrets(value: unknown, place: { file: string; task?: string; field: string }): void {
  checkStrings(value, place);
  (value as string[]).forEach((item, i) => {
    if (!/^!?[^\s=!]+$/.test(item)) throw new MityError(`item ${i} must be a variable name, or "!" and a name to show that variable as it is, not ${JSON.stringify(item)}`, place);
  });
}

function checkEnv(value: unknown, place: { file: string; task?: string; field: string }): void {
  if (value === undefined) return;
  if (!isObject(value)) throw new MityError(`must be an object of strings, not ${kind(value)}`, place);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") throw new MityError(`"${key}" must be a string, not ${kind(item)} (write ${JSON.stringify(String(item))})`, place);
  }
}
