import { load } from "../api.js";
import * as mity from "../index.js";
import type { Graph } from "../graph/graph.js";
import { resolveDep } from "../graph/names.js";
import { resolveRequested } from "../graph/plan.js";
import { kebab, parseParamWords } from "../graph/params.js";
import { didYouMean } from "../graph/suggest.js";
import { MityError } from "../util/errors.js";
import { parseArgs, type CliRequest, type ParsedArgs } from "./args.js";
import { resolve } from "node:path";
import { scanLoadWords, splitTaskOptions, VALUED, WHY_INDEX, type GivenParams, type LoadWords } from "./task-options.js";

export type CommandLine =
  | { kind: "text"; text: string }
  | {
      kind: "request";
      request: CliRequest;
      /** Loaded unless the request needs no mityfile (--init, --completion). */
      graph: Graph | undefined;
      /** Typed param values per named task (full name). */
      params: Record<string, Record<string, unknown>>;
      /** `mity <task> --help`. */
      helpFor: string | undefined;
    };

/** Words that need no mityfile: answered before one is looked for. */
const NO_MITYFILE = new Set(["--help", "-h", "--version", "-V", "--init", "--uninstall-hooks", "--sync"]);

/**
 * Reads the command line. The mityfile is loaded first (where `-C`, `-f`, `-g` say), because an option
 * after a task name is that task's param only when the task declares it.
 */
export async function readCommandLine(argv: readonly string[], io: { cwd: string; env: NodeJS.ProcessEnv; version: string; columns?: number | undefined }): Promise<CommandLine> {
  const beforeTask = argv.slice(0, firstPositional(argv));
  const bare = beforeTask.some((word) => NO_MITYFILE.has(word) || word.startsWith("--completion"));
  if (bare) {
    const parsed = await parseArgs(argv, io.version, io.columns);
    return "text" in parsed ? { kind: "text", text: parsed.text } : { kind: "request", request: parsed.request, graph: undefined, params: {}, helpFor: undefined };
  }
  const guess = loadWords(argv);
  let line: CommandLine;
  try {
    line = await readLoaded(argv, io, guess);
  } catch (error) {
    // The guess may have sent the search astray (`-C` given no value): the parse says where, if it can.
    const meant = await answer(parseArgs(argv, io.version, io.columns));
    if (meant === undefined || samePlace(guess, placeOf(meant))) throw error;
    return readLoaded(argv, io, placeOf(meant));
  }
  // `-gy`, `-kf other.ts`: where the parse reads the mityfile to be somewhere else than the scan did, the parse is right.
  if (line.kind === "text" || line.request.getCompletions || samePlace(guess, placeOf(line.request))) return line;
  return readLoaded(argv, io, placeOf(line.request));
}

type ReadIO = Parameters<typeof readCommandLine>[1];

/** The command line read against the mityfile found where `where` says. */
async function readLoaded(argv: readonly string[], io: ReadIO, where: LoadWords): Promise<CommandLine> {
  // A listing (or completion) shows what is there when a repository is not cloned yet; anything else needs them all.
  const partial = argv.slice(0, firstPositional(argv)).some((word) => word === "--list" || word === "-l" || word === "--get-completions");
  // mity's own exports, handed down to serve the mityfile's `import "mity"`.
  const graph = await load({ cwd: resolve(io.cwd, where.cwd ?? "."), mityfile: where.mityfile, global: where.global, env: io.env, partial }, mity);
  const fullName = (word: string) => resolveDep(word, "", (name) => graph.tasks.has(name));
  const split = withFile(graph, fullName, () =>
    splitTaskOptions(argv, (word) => {
      const name = fullName(word);
      return name === undefined ? undefined : graph.tasks.get(name)!.params;
    }),
  );
  const parsed = await parseArgs(split.rest, io.version, io.columns).catch((error: unknown) => {
    throw explainUnknownOption(error, argv, graph, fullName);
  });
  if ("text" in parsed) return { kind: "text", text: parsed.text };
  const params: Record<string, Record<string, unknown>> = {};
  const positionals = split.rest.filter((word, i) => !word.startsWith("-") && !isOptionValue(split.rest, i));
  for (const [index, given] of split.params) {
    const name = fullName(index === WHY_INDEX ? parsed.request.why! : positionals[index]!)!;
    const task = graph.tasks.get(name)!;
    params[name] = { ...params[name], ...parseParamWords(task.params, given, { file: task.file, task: name }) };
  }
  if (parsed.request.hook === undefined) checkNamedOnce(positionals, split.params, graph, fullName);
  const helpFor = split.helpFor === undefined ? undefined : fullName(split.helpFor) ?? split.helpFor;
  return { kind: "request", request: parsed.request, graph, params, helpFor };
}

/** The request of a line that parses as mity's own options alone, else undefined. */
async function answer(parsing: Promise<ParsedArgs>): Promise<CliRequest | undefined> {
  try {
    const parsed = await parsing;
    return "request" in parsed ? parsed.request : undefined;
  } catch {
    return undefined;
  }
}

/** Where a request says the mityfile is: an empty or negated value (`-C ""`, `--no-cwd`) says nothing. */
export function placeOf(request: CliRequest): LoadWords {
  const given = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  return { cwd: given(request.cwd), mityfile: given(request.mityfile), global: request.global === true };
}

export function samePlace(a: LoadWords, b: LoadWords): boolean {
  return (a.cwd ?? "") === (b.cwd ?? "") && (a.mityfile ?? "") === (b.mityfile ?? "") && a.global === b.global;
}

/**
 * Where the mityfile is, read before the full parse (which needs the tasks' params): a guess, checked
 * against the parse afterwards. For `--get-completions -- <words>`, the words typed so far say it too
 * (`mity -C other <Tab>` completes the tasks of other/), as they will when the line is run.
 */
function loadWords(argv: readonly string[]): LoadWords {
  const outer = scanLoadWords(argv);
  const end = argv.indexOf("--");
  if (end === -1 || !argv.slice(0, end).includes("--get-completions")) return outer;
  const typed = scanLoadWords(argv.slice(end + 1, -1));
  return { cwd: typed.cwd ?? outer.cwd, mityfile: typed.mityfile ?? outer.mityfile, global: typed.global || outer.global };
}

/** A mistake in a task's params, named by the mityfile that declares the task too. */
function withFile<T>(graph: Graph, fullName: (word: string) => string | undefined, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const name = error instanceof MityError && error.file === undefined && error.task !== undefined ? fullName(error.task) : undefined;
    if (name === undefined) throw error;
    const { message, field } = error as MityError;
    throw new MityError(message, { file: graph.tasks.get(name)!.file, task: name, ...(field === undefined ? {} : { field }) });
  }
}

function isOptionValue(words: readonly string[], index: number): boolean {
  return index > 0 && VALUED.has(words[index - 1]!);
}

function firstPositional(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") return i;
    if (!word.startsWith("-") && !isOptionValue(argv, i)) return i;
  }
  return argv.length;
}

/**
 * yargs says "Unknown argument: evn"; after a task name, the user most likely meant one of that task's
 * params: say which task, and suggest its params. After a word that names no task (`mity gret --name x`),
 * the misspelt task is the mistake to report.
 */
function explainUnknownOption(error: unknown, argv: readonly string[], graph: Graph, fullName: (word: string) => string | undefined): unknown {
  const match = error instanceof MityError ? /^Unknown arguments?: ([^\n]+)/.exec(error.message) : null;
  if (!match) return error;
  const unknown = match[1]!.split(", ")[0]!;
  const at = argv.findIndex((word) => word === `--${unknown}` || word.startsWith(`--${unknown}=`) || word === `-${unknown}`);
  if (at === -1) return error;
  const before = argv.slice(0, at);
  const taskWord = before.findLast((word) => !word.startsWith("-") && fullName(word) !== undefined);
  if (taskWord === undefined) {
    const misspelt = before.find((word, i) => !word.startsWith("-") && !isOptionValue(before, i));
    if (misspelt === undefined) return error;
    try {
      resolveRequested(graph, [misspelt]);
    } catch (unknownTask) {
      return unknownTask;
    }
    return error;
  }
  const task = graph.tasks.get(fullName(taskWord)!)!;
  const params = Object.keys(task.params).map((name) => `--${kebab(name)}`);
  const paramHint = didYouMean(`--${unknown}`, params);
  // `test --DRY-RUN`: when no param is close, the option of mity's that is (yargs' message names it).
  const optionHint = paramHint ? "" : / Did you mean [^\n]+/.exec(` ${(error as MityError).message.split("\n")[1] ?? ""}`)?.[0] ?? "";
  const hint = params.length === 0 ? "it takes no params" : `its params: ${params.join(", ")}.${paramHint}`;
  return new MityError(`has no param --${unknown}, and it is not one of mity's options either (${hint.trim()})${optionHint}`, { file: task.file, task: task.name });
}

/**
 * A task runs at most once per invocation: named twice with different params (`say --msg one say --msg
 * two`), one of the two would be dropped without a word. Named twice alike, it simply runs once.
 */
function checkNamedOnce(positionals: readonly string[], given: ReadonlyMap<number, GivenParams>, graph: Graph, fullName: (word: string) => string | undefined): void {
  const first = new Map<string, string>();
  positionals.forEach((word, index) => {
    const name = fullName(word);
    if (name === undefined) return;
    const typed = paramWords(given.get(index) ?? {});
    const earlier = first.get(name);
    if (earlier === undefined) return void first.set(name, typed);
    if (earlier === typed) return;
    const shown = (words: string) => words || "no params";
    throw new MityError(
      `is named twice with different params (${shown(earlier)}, then ${shown(typed)}); a task runs at most once per invocation: name it once`,
      { file: graph.tasks.get(name)!.file, task: name },
    );
  });
}

/** Given params as they would be typed, in a fixed order: `--loud --msg one`. */
function paramWords(given: GivenParams): string {
  return Object.keys(given)
    .sort()
    .flatMap((name) => {
      const value = given[name]!;
      if (typeof value === "boolean") return [value ? `--${kebab(name)}` : `--no-${kebab(name)}`];
      return value.map((item) => `--${kebab(name)} ${item}`);
    })
    .join(" ");
}
