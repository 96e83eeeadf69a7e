import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { findMityfile } from "../config/find.js";
import { loadIncludeTree } from "../config/includes.js";
import { resolveMode } from "../report/choose.js";
import { newRepositories, syncGraph } from "../team/sync-graph.js";
import type { Style } from "../util/style.js";
import type { CliRequest } from "./args.js";
import { EXIT, type CliIO } from "./io.js";
import { runTasks } from "./run-tasks.js";

/**
 * `mity --sync`: clones the repositories the includes name and fast-forwards the clean ones. A fresh
 * clone may bring includes of its own, so it goes in rounds until a round finds nothing new.
 */
export async function syncCommand(request: CliRequest, cwd: string, style: Style, io: CliIO): Promise<number> {
  const file = await findMityfile({ cwd, mityfile: request.mityfile, global: request.global, env: io.env });
  const seen = new Set<string>();
  // Each round loads the tree again: a broken mityfile is told once.
  const told = new Set<string>();
  const warn = (text: string) => {
    if (told.has(text)) return;
    told.add(text);
    io.stderr.write(text);
  };
  let code: number = EXIT.ok;
  for (let round = 0; ; round++) {
    const tree = await loadIncludeTree(file, (error) => warn(`mity: warning: ${error.describe()} (the includes it names are not synced)\n`));
    const repositories = newRepositories(tree.repositories, seen);
    if (repositories.length === 0) {
      // Said on stderr in JSON mode, where stdout holds only events.
      if (round === 0) (request.output === "json" ? io.stderr : io.stdout).write(`No include of ${relative(cwd, file) || file} names a git repository: nothing to sync.\n`);
      return code;
    }
    // The live view keeps no task's output once it ends: what became of each repository is said after it.
    const recap: [string, string][] = [];
    const graph = syncGraph(file, repositories, io.env, (name, text) => recap.push([name, text]));
    // Every repository is tried: one that cannot be synced does not stop the others.
    const syncRequest = { ...request, parallel: true, keepGoing: true, failFast: false };
    const concurrency = request.concurrency ?? availableParallelism();
    const result = await runTasks({ graph, names: [...graph.tasks.keys()], params: {}, request: syncRequest, concurrency, cwd, style, io });
    if (resolveMode(request.output, io.stdout, io.env) === "tty" && request.verbosity !== "silent") io.stdout.write(recapText(recap, style));
    if (result !== EXIT.ok && result !== EXIT.failed) return result;
    if (result === EXIT.failed) code = EXIT.failed;
  }
}


/** One line per repository: its name, and what became of it. */
function recapText(recap: readonly [string, string][], style: Style): string {
  const width = Math.max(0, ...recap.map(([name]) => name.length));
  return recap.map(([name, text]) => `  ${style.cyan(name.padEnd(width))}  ${text}\n`).join("");
}
