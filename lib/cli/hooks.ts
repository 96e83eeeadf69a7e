import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Graph, TaskNode } from "../graph/graph.js";
import { MityError } from "../util/errors.js";
import type { CliRequest } from "./args.js";
import { EXIT, type CliIO } from "./io.js";
import { runTasks } from "./run-tasks.js";
import type { Style } from "../util/style.js";

/** `--install-hooks`: a script per hook of the mityfile, in the repository's hooks directory. */
export async function installCommand(graph: Graph, cwd: string, io: CliIO): Promise<number> {
  const { installHooks, checkHookNames } = await import("../hooks/install.js");
  const names = Object.keys(graph.hooks);
  if (names.length === 0) throw new MityError('declares no hooks: add for example hooks: { "pre-commit": ["lint", "test"] }', { file: graph.file, field: "hooks" });
  checkHookNames(names);
  const report = await installHooks({ cwd, hooks: names, projectDir: graph.root });
  for (const hook of report.hooks) {
    const kept = hook.kept ? ` (your existing hook is kept as ${relative(cwd, hook.kept)} and runs first)` : "";
    io.stdout.write(`${hook.hook}: ${hook.action} ${relative(cwd, hook.path)}${kept}\n`);
  }
  return EXIT.ok;
}

/** `--uninstall-hooks`: removes mity's scripts and puts back what was there before. */
export async function uninstallCommand(cwd: string, io: CliIO): Promise<number> {
  const { uninstallHooks } = await import("../hooks/install.js");
  const report = await uninstallHooks({ cwd });
  if (report.hooks.length === 0) io.stdout.write(`no mity hooks in ${relative(cwd, report.dir) || report.dir}\n`);
  for (const hook of report.hooks) io.stdout.write(`${hook.hook}: ${hook.action} ${relative(cwd, hook.path)}\n`);
  return EXIT.ok;
}

/**
 * `--hook <name> [git's arguments]`: runs the hook's tasks with the staged files known to them; a task
 * with `inputs` runs only when a staged file matches them.
 */
export async function hookCommand(graph: Graph, request: CliRequest, cwd: string, style: Style, io: CliIO): Promise<number> {
  const hook = request.hook!;
  // names.js and git.js, not install.js: a hook run should not load what installing needs.
  const { checkHookNames } = await import("../hooks/names.js");
  checkHookNames([hook]);
  const names = graph.hooks[hook];
  if (!names || names.length === 0) {
    if (request.verbosity === "verbose") io.stderr.write(`mity: no tasks for the ${hook} hook in ${graph.file}\n`);
    return EXIT.ok;
  }
  const { stagedFiles, workTreeRoot } = await import("../hooks/git.js");
  const root = await workTreeRoot(cwd);
  const staged = await stagedFiles(cwd, root);
  const listDir = mkdtempSync(join(tmpdir(), "mity-staged-"));
  const list = join(listDir, "staged.txt");
  writeFileSync(list, staged.map((path) => `${path}\n`).join(""));
  const { matches, parsePattern } = await import("../state/pattern.js");
  // Before a commit, a task with inputs is skipped unless a staged file matches them, read as the up-to-date check reads them.
  const skip = (task: TaskNode): string | undefined => {
    if (hook !== "pre-commit" || task.inputs.length === 0) return undefined;
    const included = task.inputs.filter((text) => !text.startsWith("!")).map((text) => parsePattern(task.cwd, text));
    const excluded = task.inputs.filter((text) => text.startsWith("!")).map((text) => parsePattern(task.cwd, text.slice(1)));
    const hit = staged.some((path) => {
      const file = resolve(root, path);
      return included.some((pattern) => matches(pattern, file)) && !excluded.some((pattern) => matches(pattern, file));
    });
    return hit ? undefined : "no staged input";
  };
  try {
    return await runTasks({
      graph,
      names: [...names],
      params: {},
      request: { ...request, args: gitArguments(hook, request.tasks, root), verbosity: request.verbosity === "normal" ? "silent" : request.verbosity },
      concurrency: request.concurrency ?? availableParallelism(),
      cwd,
      style,
      io,
      staged,
      skip,
      extraEnv: { MITY_STAGED_FILES: list, MITY_HOOK: hook },
      onSuccess: (summary) => io.stderr.write(`${style.green("✔")} mity ${hook}: ${summary}\n`),
    });
  } finally {
    rmSync(listDir, { recursive: true, force: true });
  }
}

/** Hooks whose first argument is a file git names relative to the repository root. */
const FILE_ARGUMENT_HOOKS = new Set(["commit-msg", "prepare-commit-msg", "applypatch-msg"]);

/** git's arguments for the tasks, with a message file made absolute: tasks may run in another folder. */
function gitArguments(hook: string, args: readonly string[], root: string): string[] {
  return args.map((arg, i) => (i === 0 && FILE_ARGUMENT_HOOKS.has(hook) && !isAbsolute(arg) ? resolve(root, arg) : arg));
}
