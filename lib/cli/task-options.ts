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

const LONG_NAMES = new Set([...Object.keys(OPTIONS), "help", "version"]);
const SHORT_NAMES = new Set([...Object.values(OPTIONS).flatMap((spec) => ("alias" in spec ? [spec.alias] : [])), "h", "V"]);

/** Whether a word is one of mity's own options as typed: `--dry-run`, `--output=json`, `--no-list`, `-n`, `-kv`, `-j4`. */
export function isMityOption(word: string): boolean {
  const long = /^--(?:no-)?([^=]+)/.exec(word);
  if (long) return LONG_NAMES.has(long[1]!);
  const short = /^-([A-Za-z]+)\d*$/.exec(word);
  return short !== null && [...short[1]!].every((letter) => SHORT_NAMES.has(letter));
}

/** Whether a word names one of these params: `--msg`, `--msg=x`, `--no-loud`. */
function isParamOption(word: string, specs: Readonly<Record<string, ParamSpec>> | undefined): boolean {
  const name = /^--([a-z][a-z0-9-]*)(?:=|$)/.exec(word)?.[1];
  if (name === undefined || specs === undefined) return false;
  // `--no-cache` is the switch `cache` turned off, or a param named `noCache`.
  return [name, name.replace(/^no-/, "")].some((candidate) => Object.hasOwn(specs, camel(candidate)));
}

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

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

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
    const spec = name !== undefined && current?.specs && Object.hasOwn(current.specs, name) ? current.specs[name] : undefined;
    if (!current || !match || !spec || name === undefined) {
      rest.push(word);
      // `--why --dry-run`: an option is not the value of the one before it (yargs then says it is missing).
      if (VALUED.has(word) && i + 1 < argv.length && !isMityOption(argv[i + 1]!)) {
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
    if (match[3] === undefined) checkNotOption(value, option, spec, current);
    const previous = given[name];
    given[name] = [...(Array.isArray(previous) ? previous : []), value];
  }
  return { rest, params, helpFor };
}

/**
 * `say --msg --dry-run`: the value of a param left without one would be the next option; a run with
 * `msg=--dry-run` is never what was meant. `--msg=--dry-run` still says so on purpose.
 */
function checkNotOption(value: string, option: string, spec: ParamSpec, task: { word: string; specs: Readonly<Record<string, ParamSpec>> | undefined }): void {
  const what = isParamOption(value, task.specs) ? `another param of "${task.word}"` : isMityOption(value) ? "one of mity's options" : undefined;
  if (what === undefined) return;
  const name = camel(option.slice(2));
  throw new MityError(`${option} needs a value (${spec.type}); "${value}" is ${what}. For that very text as the value, write ${option}=${value}`, { task: task.word, field: `params.${name}` });
}
