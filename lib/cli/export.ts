import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { loadIncludeTree } from "../config/includes.js";
import { importMityfile } from "../config/load.js";
import type { Graph } from "../graph/graph.js";
import { resolveRequested } from "../graph/plan.js";
import { githubWorkflow } from "../team/github-actions.js";
import type { CiConfig } from "../types.js";
import { EXIT, type CliIO } from "./io.js";

/**
 * `mity --export github-actions [task...]`: prints the workflow of the named tasks (the default task
 * when none is named, every task when there is no default) and warns on stderr of what does not map.
 */
export async function exportCommand(graph: Graph, tasks: readonly string[], io: CliIO): Promise<number> {
  const names = tasks.length > 0 ? resolveRequested(graph, tasks) : graph.defaultTask !== undefined ? [graph.defaultTask] : [...graph.tasks.keys()];
  // Checked when the mityfile loaded; read again here because only an export needs it.
  const ci = ((await importMityfile(graph.file)).config as { ci?: CiConfig }).ci;
  const top = repositoryTop(graph.root);
  const { text, warnings } = githubWorkflow(graph, names, {
    runsOn: ci?.runsOn ?? {},
    command: ["mity --export github-actions", ...tasks].join(" "),
    lockFile: existsSync(join(graph.root, "package-lock.json")) || existsSync(join(graph.root, "npm-shrinkwrap.json")),
    version: io.version,
    workingDirectory: top === undefined || top === graph.root ? undefined : relative(top, graph.root),
    sync: (await loadIncludeTree(graph.file)).repositories.length > 0,
  });
  io.stdout.write(text);
  for (const warning of warnings) io.stderr.write(`mity: warning: ${warning}\n`);
  return EXIT.ok;
}

/** The nearest folder at or above `dir` that holds `.git`: where a workflow's checkout puts its files. */
function repositoryTop(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, ".git"))) return at;
    if (dirname(at) === at) return undefined;
  }
}
