import type { Options } from "yargs";
import { OUTPUT_MODES } from "../report/choose.js";

/** mity's own options: yargs reads them, and so does the quick reader of common command lines (quick-args.ts). */
export const OPTIONS = {
  list: { alias: "l", type: "boolean", description: "List the tasks, grouped by namespace", group: "Looking:" },
  all: { type: "boolean", description: "With --list: include hidden tasks", group: "Looking:" },
  json: { type: "boolean", description: "With --list or --runs: print JSON", group: "Looking:" },
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
  runs: { type: "boolean", description: "List recent runs; with a task name, its recent outcomes and p50/p95 durations", group: "History:" },
  report: { type: "string", description: "Write an HTML page of a run (the last; or an id, or -2 for the one before) and print its path", group: "History:" },
  profile: { type: "string", description: "Write the run as a Chrome trace-event file (Perfetto, chrome://tracing)", group: "Observing:" },
  sync: { type: "boolean", description: "Clone the includes' missing repositories, fast-forward the clean ones", group: "Team:" },
  export: { type: "string", choices: ["github-actions"], description: "Print a CI workflow running the named tasks (all if none)", group: "Team:" },
  "no-deps": { type: "boolean", description: "Run the named tasks without their deps", group: "Team:" },
  // yargs reads `--no-deps` as `deps` turned off: the name it gives must be known.
  deps: { type: "boolean", hidden: true },
  "get-completions": { type: "boolean", hidden: true },
  watch: { alias: "w", type: "boolean", description: "Run, then run again what a change to the tasks' inputs or the mityfile affects", group: "Watching:" },
  redis: { type: "string", description: "Redis URL of the pools' queues (default: $MITY_REDIS_URL, then the settings' redis)", group: "Pools:" },
  worker: { type: "string", description: "Be a worker of these pools (comma-separated): run their tasks from this mityfile", group: "Pools:" },
  workers: { type: "boolean", description: "List the live workers of every pool", group: "Pools:" },
  "pool-wait": { type: "number", description: "Seconds a pooled task waits for a worker before it fails (default 60)", group: "Pools:" },
  "worker-accept-changed": { type: "boolean", description: "With --worker: also run tasks whose definition differs from the coordinator's", group: "Pools:" },
  "pool-job": { type: "string", hidden: true },
} satisfies Record<string, Options>;

/** Options that may not be given together. */
export const CONFLICTS = [["silent", "verbose"], ["keep-going", "fail-fast"]] as const;
