import { createRequire } from "node:module";
import type YargsFactory from "yargs";
import { OUTPUT_MODES, type OutputMode } from "../report/choose.js";
import { MityError } from "../util/errors.js";
import type { Verbosity } from "../report/reporter.js";

export const GRAPH_FORMATS = ["dot", "mermaid", "json"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** What the command line asks for. */
export interface CliRequest {
  tasks: string[];
  /** Words after `--`. */
  args: string[];
  list: boolean;
  all: boolean;
  json: boolean;
  parallel: boolean;
  concurrency: number | undefined;
  keepGoing: boolean;
  failFast: boolean;
  dryRun: boolean;
  graph: GraphFormat | undefined;
  mityfile: string | undefined;
  cwd: string | undefined;
  global: boolean;
  output: OutputMode;
  verbosity: Verbosity;
  graceMs: number | undefined;
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
  /** Hidden: the shell-completion script asks for candidates with the words typed so far after `--`. */
  getCompletions: boolean;
}

/** Either a request, or text yargs produced instead (help, version). */
export type ParsedArgs = { request: CliRequest } | { text: string };

// yargs' CommonJS build is one bundled file: loading it with require is ~10 ms faster than its ESM tree.
const yargs = createRequire(import.meta.url)("yargs") as typeof YargsFactory;

/** Parses argv (without node and the script); usage errors are `MityError`s. */
export function parseArgs(argv: readonly string[], version: string, columns = 100): Promise<ParsedArgs> {
  const parser = yargs()
    .scriptName("mity")
    .usage("Usage: mity [options] [task [task-options]]... [-- args]\n\nRuns the tasks of the nearest mityfile.ts and their deps.")
    // Task names and words after "--" stay exactly as typed; a repeated option keeps its last value.
    .parserConfiguration({ "populate--": true, "strip-aliased": true, "parse-positional-numbers": false, "parse-numbers": false, "duplicate-arguments-array": false })
    .options({
      list: { alias: "l", type: "boolean", description: "List the tasks, grouped by namespace", group: "Looking:" },
      all: { type: "boolean", description: "With --list: include hidden tasks", group: "Looking:" },
      json: { type: "boolean", description: "With --list: print JSON", group: "Looking:" },
      "dry-run": { alias: "n", type: "boolean", description: "Print what would run, in order; run nothing", group: "Looking:" },
      graph: { type: "string", description: "Print the dependency graph of the named tasks (all if none): dot, mermaid or json", group: "Looking:" },
      parallel: { alias: "p", type: "boolean", description: "Run named tasks, and deps of tasks that don't say concurrent: false, at the same time", group: "Running:" },
      concurrency: { alias: "j", type: "number", description: "Most tasks running at once (default: number of CPUs)", group: "Running:" },
      "keep-going": { alias: "k", type: "boolean", description: "After a failure, keep starting tasks that don't depend on it", group: "Running:" },
      "fail-fast": { type: "boolean", description: "After a failure, stop the running tasks too", group: "Running:" },
      grace: { type: "number", description: "Seconds between SIGTERM and SIGKILL when stopping tasks (default 5)", group: "Running:" },
      mityfile: { alias: "f", type: "string", description: "Use this mityfile instead of searching", group: "Finding:" },
      cwd: { alias: "C", type: "string", description: "Act as if started in this directory", group: "Finding:" },
      global: { alias: "g", type: "boolean", description: "Use your own mityfile ($XDG_CONFIG_HOME/mity or ~/.config/mity)", group: "Finding:" },
      init: { type: "boolean", description: "Write a starter mityfile.ts here", group: "Finding:" },
      output: { type: "string", choices: OUTPUT_MODES, default: "auto", description: "How output is shown", group: "Output:" },
      silent: { alias: "s", type: "boolean", description: "Only errors and the failure summary", group: "Output:" },
      verbose: { alias: "v", type: "boolean", description: "Also each command as it starts, and stack traces", group: "Output:" },
      yes: { alias: "y", type: "boolean", description: "Answer yes to every confirm question", group: "Running:" },
      force: { alias: "B", type: "boolean", description: "Run the named tasks even if up to date", group: "Running:" },
      "force-all": { type: "boolean", description: "Run the named tasks and all their deps even if up to date", group: "Running:" },
      why: { type: "string", description: "Say why a task would run or is up to date", group: "Looking:" },
      completion: { type: "string", choices: ["bash", "zsh", "fish"], description: "Print a shell-completion script", group: "Finding:" },
      "install-hooks": { type: "boolean", description: "Write git hooks that run the mityfile's hooks", group: "Git hooks:" },
      "uninstall-hooks": { type: "boolean", description: "Remove mity's git hooks and put back what was there", group: "Git hooks:" },
      hook: { type: "string", description: "Run a git hook's tasks (what the installed hooks call)", group: "Git hooks:" },
      "get-completions": { type: "boolean", hidden: true },
    })
    .conflicts("silent", "verbose")
    .conflicts("keep-going", "fail-fast")
    .help("help")
    .alias("help", "h")
    .version(version)
    .alias("version", "V")
    .strictOptions()
    .wrap(Math.min(100, columns))
    .epilog("Exit codes: 0 ok, 1 a task failed, 2 nothing ran (bad usage or mityfile), 130/143 interrupted.");

  return new Promise((resolve, reject) => {
    parser.parse([...argv], {}, (error, parsed, output) => {
      if (error) return reject(new MityError(`${error.message}\nRun "mity --help" for the options.`));
      if (output) return resolve({ text: output });
      try {
        resolve({ request: toRequest(parsed as unknown as Record<string, unknown>) });
      } catch (failure) {
        reject(failure);
      }
    });
  });
}

function toRequest(parsed: Record<string, unknown>): CliRequest {
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
    throw new MityError(`-j/--concurrency takes a whole number of at least 1, not ${String(concurrency)}`);
  }
  const grace = parsed.grace as number | undefined;
  if (grace !== undefined && !(grace >= 0)) throw new MityError(`--grace takes a number of seconds, not ${String(grace)}`);
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
  };
}
