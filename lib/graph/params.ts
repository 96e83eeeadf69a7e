import type { ParamSpec } from "../types.js";
import { MityError } from "../util/errors.js";

const TYPES = ["string", "number", "boolean", "string[]"];
const SPEC_FIELDS = ["type", "choices", "required", "default", "description"];
/** Param names are camelCase in the mityfile and kebab-case on the command line. */
const PARAM_NAME = /^[a-z][a-zA-Z0-9]*$/;

export const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
export const envName = (name: string) => `MITY_PARAM_${kebab(name).replaceAll("-", "_").toUpperCase()}`;

type Place = { file: string; task: string };

const fits = (spec: ParamSpec, value: unknown): boolean => {
  switch (spec.type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "string[]":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
  }
};

const allowed = (spec: ParamSpec, value: unknown): boolean =>
  !spec.choices || (Array.isArray(value) ? value.every((item) => spec.choices!.includes(item)) : spec.choices.includes(value as string | number));

const choiceList = (spec: ParamSpec) => spec.choices!.map((choice) => JSON.stringify(choice)).join(", ");

/** Checks a task's `params` declaration. */
export function validateParams(params: unknown, place: Place): asserts params is Record<string, ParamSpec> {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new MityError("must be an object of param declarations like { env: { type: \"string\" } }", { ...place, field: "params" });
  }
  for (const [name, spec] of Object.entries(params)) {
    const field = `params.${name}`;
    if (!PARAM_NAME.test(name)) throw new MityError(`"${name}" is not a valid param name: use camelCase letters and digits (it becomes --${kebab(name)})`, { ...place, field });
    if (typeof spec !== "object" || spec === null) throw new MityError('must be an object like { type: "string" }', { ...place, field });
    const given = spec as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!SPEC_FIELDS.includes(key)) throw new MityError(`unknown field "${key}"; a param has ${SPEC_FIELDS.join(", ")}`, { ...place, field });
    }
    if (!TYPES.includes(given.type as string)) throw new MityError(`type must be one of ${TYPES.map((t) => `"${t}"`).join(", ")}, not ${JSON.stringify(given.type)}`, { ...place, field });
    const typed = given as unknown as ParamSpec;
    if (given.choices !== undefined) {
      const itemType = typed.type === "number" ? "number" : "string";
      if (!Array.isArray(given.choices) || given.choices.length === 0 || given.choices.some((choice) => typeof choice !== itemType)) {
        throw new MityError(`choices must be a non-empty array of ${itemType}s`, { ...place, field });
      }
      if (typed.type === "boolean") throw new MityError("a boolean param cannot have choices", { ...place, field });
    }
    if (given.required !== undefined && typeof given.required !== "boolean") throw new MityError("required must be true or false", { ...place, field });
    if (given.description !== undefined && typeof given.description !== "string") throw new MityError("description must be a string", { ...place, field });
    if (given.default !== undefined && (!fits(typed, given.default) || !allowed(typed, given.default))) {
      throw new MityError(`default ${JSON.stringify(given.default)} is not a valid ${typed.type}${typed.choices ? ` among ${choiceList(typed)}` : ""}`, { ...place, field });
    }
  }
}

/** Turns a task's command-line words (`--count 3`, `--tag a --tag b`, `--dry-run`) into typed values. */
export function parseParamWords(
  specs: Readonly<Record<string, ParamSpec>>,
  given: Readonly<Record<string, string[] | boolean>>,
  place: Place,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(given)) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    const option = `--${kebab(name)}`;
    const field = `params.${name}`;
    if (!spec) throw new MityError(`has no param ${option}`, { ...place, field: "params" });
    if (spec.type === "boolean") {
      if (typeof raw !== "boolean") throw new MityError(`${option} is a switch: write ${option} or --no-${kebab(name)}`, { ...place, field });
      values[name] = raw;
    } else if (typeof raw === "boolean") {
      throw new MityError(`${option} needs a value (${spec.type})`, { ...place, field });
    } else if (spec.type !== "string[]" && raw.length > 1) {
      throw new MityError(`${option} was given ${raw.length} times; it takes one value`, { ...place, field });
    } else if (spec.type === "number") {
      const number = Number(raw[0]);
      if (raw[0]!.trim() === "" || !Number.isFinite(number)) throw new MityError(`${option} must be a number, not ${JSON.stringify(raw[0])}`, { ...place, field });
      values[name] = number;
    } else {
      values[name] = spec.type === "string" ? raw[0] : [...raw];
    }
  }
  return values;
}

/**
 * Checks a task's param values and fills in defaults; fails before anything runs on an unknown param,
 * a missing required one, a wrong type or a value outside `choices`, naming the task, param and values.
 */
export function completeParams(
  specs: Readonly<Record<string, ParamSpec>>,
  given: Readonly<Record<string, unknown>>,
  place: Place,
): Record<string, unknown> {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(specs, name)) {
      const known = Object.keys(specs).map((known) => `--${kebab(known)}`);
      throw new MityError(`has no param --${kebab(name)}${known.length ? ` (its params: ${known.join(", ")})` : " (it takes no params)"}`, { ...place, field: "params" });
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const option = `--${kebab(name)}`;
    const field = `params.${name}`;
    // Own values only: `toString` or `constructor` not given must not find Object's own methods.
    const value = Object.hasOwn(given, name) ? given[name] : undefined;
    if (value === undefined) {
      if (spec.default !== undefined) values[name] = spec.default;
      else if (spec.type === "boolean") values[name] = false;
      else if (spec.required) {
        const hint = spec.choices ? ` (one of ${choiceList(spec)})` : "";
        throw new MityError(`needs ${option} <${spec.type}>${hint}`, { ...place, field });
      }
      continue;
    }
    if (!fits(spec, value)) throw new MityError(`${option} must be a ${spec.type}, not ${JSON.stringify(value)}`, { ...place, field });
    if (!allowed(spec, value)) throw new MityError(`${option} must be one of ${choiceList(spec)}, not ${JSON.stringify(value)}`, { ...place, field });
    values[name] = value;
  }
  return values;
}

/** The environment variables shell commands get for params: never pasted into the command text. */
export function paramEnvironment(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    env[envName(name)] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
  return env;
}
