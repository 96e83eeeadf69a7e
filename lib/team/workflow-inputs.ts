import type { TaskNode } from "../graph/graph.js";
import { kebab } from "../graph/params.js";
import type { ParamSpec } from "../types.js";
import type { YamlValue } from "./yaml.js";

/** A task's params as `workflow_dispatch` inputs, and the shell lines that pass them on. */
export interface JobInputs {
  /** Input id to its declaration under `on.workflow_dispatch.inputs`. */
  inputs: Record<string, YamlValue>;
  /** Variable name to `${{ inputs.<id> }}`: values reach the shell as variables, never as script text. */
  env: Record<string, string>;
  /** Lines that add the given values to the command's arguments (`set -- "$@" --env "$X"`). */
  lines: string[];
  /** Whether an input is required, so the job can only run when started by hand. */
  required: boolean;
  /** What could not be mapped, said in the workflow. */
  notes: string[];
}

/** GitHub's limit on a workflow's `workflow_dispatch` inputs. */
export const MAX_INPUTS = 25;

/** Inputs for a job's params (at most `room` of them): choices become a choice, booleans a boolean, numbers and strings their own. */
export function jobInputs(task: TaskNode, jobId: string, room: number): JobInputs {
  const result: JobInputs = { inputs: {}, env: {}, lines: [], required: false, notes: [] };
  for (const [name, spec] of Object.entries(task.params)) {
    const option = `--${kebab(name)}`;
    if (spec.type === "string[]") {
      result.notes.push(`param ${option} (a list) has no input: ${spec.default === undefined ? "it is not given" : "its default is used"}`);
      continue;
    }
    if (Object.keys(result.inputs).length >= room) {
      result.notes.push(`param ${option} has no input: a workflow takes at most ${MAX_INPUTS}`);
      continue;
    }
    const id = `${jobId}-${kebab(name)}`;
    const variable = `MITY_INPUT_${id.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}`;
    const required = spec.required === true && spec.default === undefined;
    result.inputs[id] = declaration(task, option, spec, required);
    result.env[variable] = `\${{ inputs.${id} }}`;
    result.lines.push(spec.type === "boolean" ? switchLine(variable, option) : `if [ -n "$${variable}" ]; then set -- "$@" ${option} "$${variable}"; fi`);
    if (required) {
      result.required = true;
      result.notes.push(`param ${option} is required and has no default: the job runs only when the workflow is started by hand`);
    }
  }
  return result;
}

function declaration(task: TaskNode, option: string, spec: ParamSpec, required: boolean): YamlValue {
  const input: Record<string, YamlValue> = { description: spec.description ?? `${option} of ${task.name}`, required };
  if (spec.choices) {
    input.type = "choice";
    input.options = spec.choices.map(String);
  } else input.type = spec.type;
  // An input's default is what the form shows; without one the task's own default applies.
  if (spec.default !== undefined && !Array.isArray(spec.default)) input.default = spec.type === "boolean" || spec.type === "number" ? (spec.default as boolean | number) : String(spec.default);
  return input;
}

/** An unset boolean input (a push, not a start by hand) leaves the switch to the task's default. */
const switchLine = (variable: string, option: string) =>
  `if [ "$${variable}" = true ]; then set -- "$@" ${option}; elif [ "$${variable}" = false ]; then set -- "$@" --no-${option.slice(2)}; fi`;
