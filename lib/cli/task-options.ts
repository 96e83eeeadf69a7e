import type { ParamSpec } from "../types.js";
import { MityError } from "../util/errors.js";
import { kebab } from "../graph/params.js";
import { OPTIONS } from "./options.js";

/** mity's own options that take a value: their value is never a task name (`--graph`'s may be one). */
export const VALUED = new Set(
  Object.entries(OPTIONS)
    .filter(([name, spec]) => spec.type !== "boolean" && name !== "graph")
    .flatMap(([name, spec]) => [`--${name}`, ...("alias" in spec ? [`-${spec.alias}`] : [])]),
);

/** Options that decide which mityfile is loaded, read before the full parse (which needs the tasks). */
export interface LoadWords {
  cwd: string | undefined;
  mityfile: string | undefined;
  global: boolean;
}

export function scanLoadWords(argv: readonly string[]): LoadWords {
  const found: LoadWords = { cwd: undefined, mityfile: undefined, global: false };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") break;
    const [name, inline] = word.startsWith("--") && word.includes("=") ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)] : [word, undefined];
    const value = () => inline ?? argv[++i];
    if (name === "-C" || name === "--cwd") found.cwd = value();
    else if (name === "-f" || name === "--mityfile") found.mityfile = value();
    else if (name === "-g" || name === "--global") found.global = true;
  }
  return found;
}

/** Where the params of the task named by `--why` are kept in `SplitWords.params`. */
export const WHY_INDEX = -1;

/** Given param values of one named task: a switch is true/false, anything else the words given. */
export type GivenParams = Record<string, string[] | boolean>;

export interface SplitWords {
  /** What is left for mity's own parser. */
  rest: string[];
  /** Param options, per position of a task word in `rest`'s positionals. */
  params: Map<number, GivenParams>;
  /** `mity <task> --help`: the task to describe. */
  helpFor: string | undefined;
}

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Takes each named task's own options out of argv: an option written after a task name is that task's
 * param when the task declares it, and otherwise one of mity's own options (`mity build -j4`).
 */
export function splitTaskOptions(argv: readonly string[], paramsOf: (word: string) => Readonly<Record<string, ParamSpec>> | undefined): SplitWords {
  const rest: string[] = [];
  const params = new Map<number, GivenParams>();
  let helpFor: string | undefined;
  let current: { word: string; index: number; specs: Readonly<Record<string, ParamSpec>> | undefined } | undefined;
  let positionals = 0;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      current = { word, index: positionals++, specs: paramsOf(word) };
      rest.push(word);
      continue;
    }
    if ((word === "--help" || word === "-h") && current) {
      helpFor ??= current.word;
      continue;
    }
    const match = /^--(no-)?([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(word);
    const name = match ? camel(match[2]!) : undefined;
    const spec = name !== undefined ? current?.specs?.[name] : undefined;
    if (!current || !match || !spec || name === undefined) {
      rest.push(word);
      if (VALUED.has(word) && i + 1 < argv.length) {
        const value = argv[++i]!;
        rest.push(value);
        // `--why deploy --env prod`: the params that follow belong to the task asked about.
        if (word === "--why") current = { word: value, index: WHY_INDEX, specs: paramsOf(value) };
      }
      continue;
    }
    const given = params.get(current.index) ?? {};
    params.set(current.index, given);
    const option = `--${kebab(name)}`;
    if (spec.type === "boolean") {
      const inline = match[3];
      if (inline !== undefined && inline !== "true" && inline !== "false") {
        throw new MityError(`${option} is a switch: write ${option} or --no-${kebab(name)}, not ${option}=${inline}`, { task: current.word, field: `params.${name}` });
      }
      given[name] = match[1] ? false : inline !== "false";
      continue;
    }
    if (match[1]) throw new MityError(`--no-${kebab(name)} only works for switches; ${option} takes a ${spec.type}`, { task: current.word, field: `params.${name}` });
    const value = match[3] ?? argv[++i];
    if (value === undefined) throw new MityError(`${option} needs a value (${spec.type})`, { task: current.word, field: `params.${name}` });
    const previous = given[name];
    given[name] = [...(Array.isArray(previous) ? previous : []), value];
  }
  return { rest, params, helpFor };
}
