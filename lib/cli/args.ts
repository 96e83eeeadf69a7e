import { createRequire } from "node:module";
import type YargsFactory from "yargs/yargs";
import type { OutputMode } from "../report/choose.js";
import { MityError } from "../util/errors.js";
import { didYouMean } from "../graph/suggest.js";
import type { Verbosity } from "../report/reporter.js";
import type { RunSettings } from "../run/settings.js";
import { CONFLICTS, OPTIONS } from "./options.js";
import { quickParse } from "./quick-args.js";
import { poolRequest, type PoolRequest } from "./pool-options.js";

export const GRAPH_FORMATS = ["dot", "mermaid", "json"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** The run settings a command line gives (see RunSettings): a number not typed is left to the settings file, then the default. */
type CliSettings = Pick<RunSettings, "parallel" | "keepGoing" | "failFast" | "args"> & { [K in "concurrency" | "graceMs"]: RunSettings[K] | undefined };

/** What the command line asks for. */
export interface CliRequest extends CliSettings {
  tasks: string[];
  list: boolean;
  all: boolean;
  json: boolean;
  dryRun: boolean;
  graph: GraphFormat | undefined;
  mityfile: string | undefined;
  cwd: string | undefined;
  global: boolean;
  output: OutputMode;
  verbosity: Verbosity;
  init: boolean;
  yes: boolean;
  force: boolean;
  forceAll: boolean;
  why: string | undefined;
  installHooks: boolean;
  uninstallHooks: boolean;
  /** `--hook <name>`: positionals are then git's arguments, not task names. */
  hook: string | undefined;
  completion: "bash" | "zsh" | "fish" | undefined;
  /** `--runs [task]`: the history of runs, or of one task. */
  runs: boolean;
  /** `--report [run]`: "" for the last run. */
  report: string | undefined;
  /** `--sync`: lay out the repositories the includes name. */
  sync: boolean;
  /** `--export github-actions`: print a workflow instead of running. */
  export: "github-actions" | undefined;
  /** `--no-deps`: run the named tasks only. */
  noDeps: boolean;
  /** Hidden: the shell-completion script asks for candidates with the words typed so far after `--`. */
  getCompletions: boolean;
  /** `--profile <file>`: where the run's Chrome trace-event file goes. */
  profile: string | undefined;
  /** `--watch`: run, then rerun what each change affects, until Ctrl-C. */
  watch: boolean;
  /** `--redis`, `--worker`, `--workers`, `--pool-wait`... (pool-options.ts). */
  pools: PoolRequest;
}

/** Either a request, or text yargs produced instead (help, version). */
export type ParsedArgs = { request: CliRequest } | { text: string };


/** Parses argv (without node and the script); usage errors are `MityError`s. */
export function parseArgs(argv: readonly string[], version: string, columns = 100): Promise<ParsedArgs> {
  const quick = quickParse(argv);
  if (quick) return new Promise((resolve) => resolve({ request: toRequest(quick, argv) }));
  return parseWithYargs(argv, version, columns);
}

/** The whole parse: help, version, and every mistake with yargs' message. */
export function parseWithYargs(argv: readonly string[], version: string, columns = 100): Promise<ParsedArgs> {
  // Loaded only here: most command lines never need it. Its CommonJS build is one file, ~10 ms quicker
  // to load than its ES module tree; "yargs/yargs" makes no parser for process.argv as it loads.
  const yargs = createRequire(import.meta.url)("yargs/yargs") as typeof YargsFactory;
  const parser = yargs()
    .scriptName("mity")
    // Messages are matched in English (see command-line.ts), and mity speaks English.
    .locale("en")
    .usage("Usage: mity [options] [task [task-options]]... [-- args]\n\nRuns the tasks of the nearest mityfile.ts and their deps.")
    // Task names and words after "--" stay exactly as typed; a repeated option keeps its last value.
    // No camelCase spellings: yargs would read `--DRY-RUN test` as an unknown option "DRY-RUN" given the
    // value "test", and let it pass as the camelCase form of --dry-run, running the default task.
    .parserConfiguration({ "populate--": true, "strip-aliased": true, "parse-positional-numbers": false, "parse-numbers": false, "duplicate-arguments-array": false, "camel-case-expansion": false })
    .options(OPTIONS)
    .conflicts(Object.fromEntries(CONFLICTS))
    .help("help")
    .alias("help", "h")
    .version(version)
    .alias("version", "V")
    .strictOptions()
    .wrap(Math.min(100, columns))
    .epilog("Exit codes: 0 ok, 1 a task failed, 2 nothing ran (bad usage or mityfile), 130/143 interrupted.");

  return new Promise((resolve, reject) => {
    parser.parse([...argv], {}, (error, parsed, output) => {
      if (error) {
        const long = singleDashLong(argv);
        if (long !== undefined) return reject(new MityError(`Unknown argument: ${long} (long options take two dashes)\nDid you mean "-${long}"?\nRun "mity --help" for the options.`));
        const glued = gluedConcurrency(argv);
        if (glued !== undefined) return reject(new MityError(`-j/--concurrency takes a whole number of at least 1, not ${JSON.stringify(glued)}`));
        return reject(new MityError(`${error.message}${closestOption(error.message)}\nRun "mity --help" for the options.`));
      }
      if (output) return resolve({ text: output });
      try {
        resolve({ request: toRequest(parsed as unknown as Record<string, unknown>, argv) });
      } catch (failure) {
        reject(failure);
      }
    });
  });
}

/** A long option written with one dash (`-list`), which yargs reads as short options: "Unknown arguments: i, t". */
function singleDashLong(argv: readonly string[]): string | undefined {
  const longNames = new Set([...Object.keys(OPTIONS), "help", "version"]);
  for (const word of argv) {
    if (word === "--") return undefined;
    const name = /^-([a-z][a-z-]+)(?:=.*)?$/.exec(word)?.[1];
    if (name !== undefined && longNames.has(name)) return word;
  }
  return undefined;
}

/**
 * The value glued to `-j` when it is not a whole number (`-jx`, `-j8x`, `-kjfoo`). yargs reads the
 * letters of such a word as short options of their own and would complain of "Unknown argument: x".
 */
function gluedConcurrency(argv: readonly string[]): string | undefined {
  for (const word of argv) {
    if (word === "--") return undefined;
    const glued = /^-[A-Za-z]*j([^=].*)$/.exec(word)?.[1];
    if (glued !== undefined && !/^\d+$/.test(glued)) return glued;
  }
  return undefined;
}

/** For "Unknown argument: lsit", a line naming the closest of mity's options (`--list`), if one is close. */
function closestOption(message: string): string {
  const unknown = /^Unknown arguments?: ([^,\n]+)/.exec(message)?.[1];
  // Any one letter is one edit from every short option: no guess is worth making.
  if (unknown === undefined || unknown.length < 2) return "";
  const flags = [...Object.keys(OPTIONS).map((name) => `--${name}`), "--help", "--version"];
  const hint = didYouMean(`--${unknown}`, flags).trim();
  return hint ? `\n${hint}` : "";
}

/**
 * The last value typed for an option, to name it as typed where it is not a number: `-j x`, `--j x`,
 * `--concurrency=x`, or at the end of a group of short options, `-kj x`. Undefined if not found.
 */
function typedValue(argv: readonly string[], long: string, short?: string): string | undefined {
  const names = short === undefined ? [long] : [long, short];
  let typed: string | undefined;
  for (let i = 0; i < argv.length && argv[i] !== "--"; i++) {
    const word = argv[i]!;
    const equals = word.indexOf("=");
    const flag = equals === -1 ? word : word.slice(0, equals);
    const named = names.some((name) => flag === `--${name}`) || (short !== undefined && (flag === `-${short}` || (equals === -1 && new RegExp(`^-[A-Za-z]+${short}$`).test(flag))));
    if (named) typed = equals === -1 ? argv[i + 1] : word.slice(equals + 1);
  }
  return typed;
}

/** A number option's value for a message: the word as typed when it was not a number at all. */
function shown(value: number, argv: readonly string[], long: string, short?: string): string {
  const typed = Number.isNaN(value) ? typedValue(argv, long, short) : undefined;
  return typed === undefined ? String(value) : JSON.stringify(typed);
}

function toRequest(parsed: Record<string, unknown>, argv: readonly string[]): CliRequest {
  const tasks = ((parsed._ as unknown[]) ?? []).map(String);
  let graph: GraphFormat | undefined;
  if (typeof parsed.graph === "string") {
    // `--graph build` names a task, not a format.
    if ((GRAPH_FORMATS as readonly string[]).includes(parsed.graph)) graph = parsed.graph as GraphFormat;
    else {
      if (parsed.graph !== "") tasks.unshift(parsed.graph);
      graph = "dot";
    }
  }
  const concurrency = parsed.concurrency as number | undefined;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new MityError(`-j/--concurrency takes a whole number of at least 1, not ${shown(concurrency, argv, "concurrency", "j")}`);
  }
  const grace = parsed.grace as number | undefined;
  if (grace !== undefined && !(grace >= 0)) throw new MityError(`--grace takes a number of seconds, not ${shown(grace, argv, "grace")}`);
  checkCombination(parsed, tasks);
  return {
    tasks,
    args: ((parsed["--"] as unknown[]) ?? []).map(String),
    list: Boolean(parsed.list),
    all: Boolean(parsed.all),
    json: Boolean(parsed.json),
    parallel: Boolean(parsed.parallel),
    concurrency,
    keepGoing: Boolean(parsed["keep-going"]),
    failFast: Boolean(parsed["fail-fast"]),
    dryRun: Boolean(parsed["dry-run"]),
    graph,
    mityfile: parsed.mityfile as string | undefined,
    cwd: parsed.cwd as string | undefined,
    global: Boolean(parsed.global),
    output: parsed.output as OutputMode,
    verbosity: parsed.silent ? "silent" : parsed.verbose ? "verbose" : "normal",
    graceMs: grace === undefined ? undefined : grace * 1000,
    init: Boolean(parsed.init),
    yes: Boolean(parsed.yes),
    force: Boolean(parsed.force),
    forceAll: Boolean(parsed["force-all"]),
    why: parsed.why as string | undefined,
    installHooks: Boolean(parsed["install-hooks"]),
    uninstallHooks: Boolean(parsed["uninstall-hooks"]),
    hook: parsed.hook as string | undefined,
    completion: parsed.completion as CliRequest["completion"],
    getCompletions: Boolean(parsed["get-completions"]),
    runs: Boolean(parsed.runs),
    report: parsed.report as string | undefined,
    profile: parsed.profile as string | undefined,
    sync: Boolean(parsed.sync),
    export: parsed.export as CliRequest["export"],
    noDeps: Boolean(parsed["no-deps"]) || parsed.deps === false,
    watch: Boolean(parsed.watch),
    pools: poolRequest(parsed, argv),
  };
}

/** Options that mean something only beside another, or that take exactly one word: refused rather than ignored. */
function checkCombination(parsed: Record<string, unknown>, tasks: readonly string[]): void {
  if (parsed.why === "") throw new MityError('--why needs a task name: mity --why <task>');
  if (parsed.profile === "") throw new MityError("--profile needs a file name: mity build --profile run.json");
  if (parsed.hook === "") throw new MityError('--hook needs the name of a git hook: mity --hook pre-commit');
  if (typeof parsed.why === "string" && tasks.length > 0) {
    throw new MityError(`--why takes one task, "${parsed.why}", but ${tasks.map((task) => `"${task}"`).join(", ")} ${tasks.length === 1 ? "was" : "were"} named too: ask about one task at a time`);
  }
  if (parsed.sync && tasks.length > 0) throw new MityError(`--sync lays out every repository the includes name and takes no task names (${tasks.join(", ")})`);
  if (parsed.sync && parsed["dry-run"]) throw new MityError("--sync has no dry run: --list names the repositories that are not cloned yet");
  for (const option of ["json", "all"]) {
    if (parsed[option] && !parsed.list && !(option === "json" && parsed.runs)) throw new MityError(`--${option} only works with --list (mity --list --${option})`);
  }
  const runless = RUNLESS.find((option) => parsed[option] !== undefined && parsed[option] !== false);
  if (parsed.profile !== undefined && runless) throw new MityError(`--profile writes the trace of a run, and --${runless} runs no task: leave out one of them`);
}

/** Options that run no task: a trace of them would be empty. */
const RUNLESS = ["list", "dry-run", "why", "runs", "report", "sync", "export", "workers", "init", "completion"] as const;
