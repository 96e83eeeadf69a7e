import { dirname } from "node:path";
import type { IncludedRepository } from "../config/includes.js";
import type { Graph, TaskNode } from "../graph/graph.js";
import { noPrompts, quietGit } from "./git.js";
import { cloneRepository, updateRepository } from "./sync-repository.js";

/**
 * One task per repository, named by its namespace: a sync is a run like any other, so `-j`, the live
 * view, prefixes and JSON output all come with it.
 */
export function syncGraph(
  rootFile: string,
  repositories: readonly IncludedRepository[],
  env: Readonly<Record<string, string | undefined>>,
  /** Told what became of each repository that was brought up to date. */
  onDone?: (name: string, text: string) => void,
): Graph {
  const quiet = Object.freeze(noPrompts(env));
  const tasks = new Map<string, TaskNode>();
  for (const repository of repositories) {
    const work = repository.present ? updateRepository : cloneRepository;
    tasks.set(repository.namespace, Object.freeze<TaskNode>({
      name: repository.namespace,
      file: repository.file,
      namespace: "",
      description: `${repository.present ? "Update" : "Clone"} ${repository.git}`,
      deps: [],
      concurrent: undefined,
      run: (ctx) => work(repository, quietGit(ctx.env, ctx.signal, ctx.log), (text) => (ctx.log(text), onDone?.(repository.namespace, text))),
      cwd: dirname(repository.file),
      env: quiet,
      fileEnv: quiet,
      ownEnv: {},
      secrets: [],
      dotenv: [],
      params: {},
      confirm: undefined,
      inputs: [],
      outputs: [],
      hidden: false,
      timeout: undefined,
      interactive: false,
      lock: undefined,
    }));
  }
  return Object.freeze({ file: rootFile, root: dirname(rootFile), tasks, defaultTask: undefined, hooks: {} });
}

/** The repositories of a tree not seen in an earlier round, each path once. */
export function newRepositories(repositories: readonly IncludedRepository[], seen: Set<string>): IncludedRepository[] {
  const fresh: IncludedRepository[] = [];
  for (const repository of repositories) {
    if (seen.has(repository.path)) continue;
    seen.add(repository.path);
    fresh.push(repository);
  }
  return fresh;
}
