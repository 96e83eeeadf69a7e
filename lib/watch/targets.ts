import { dirname, relative, sep } from "node:path";
import type { Graph, TaskNode } from "../graph/graph.js";
import { matches, parsePattern, type Pattern } from "../state/pattern.js";

/** What watch mode watches: each selected task's `inputs`, and the mityfiles the graph was loaded from. */
export interface Targets {
  /** The root mityfile's folder: what lies above it is the project's place, never skipped. */
  root: string;
  /** Input patterns of each selected task that declares any. */
  inputs: ReadonlyMap<string, readonly Pattern[]>;
  /** Output patterns of the selected tasks: what the run itself writes. */
  outputs: readonly Pattern[];
  /** Absolute paths of the loaded mityfiles (the root and every include) and the local modules they import. */
  mityfiles: ReadonlySet<string>;
  /** Folders and files handed to the watcher: the bases of the patterns and the mityfiles. */
  roots: readonly string[];
}

/** The inputs of `selection` and the graph's mityfiles. Tasks with no inputs are not watched. */
export function watchTargets(graph: Graph, selection: readonly TaskNode[]): Targets {
  const inputs = new Map<string, Pattern[]>();
  for (const task of selection) {
    // A `!pattern` only narrows what the others match: it adds nothing to watch.
    const patterns = task.inputs.filter((text) => !text.startsWith("!")).map((text) => parsePattern(task.cwd, text));
    if (patterns.length > 0) inputs.set(task.name, patterns);
  }
  const outputs = selection.flatMap((task) => task.outputs.filter((text) => !text.startsWith("!")).map((text) => parsePattern(task.cwd, text)));
  const mityfiles = new Set([graph.file, ...[...graph.tasks.values()].map((task) => task.file), ...(graph.files ?? [])]);
  const roots = new Set<string>(mityfiles);
  for (const patterns of inputs.values()) for (const pattern of patterns) roots.add(pattern.base);
  return { root: graph.root, inputs, outputs, mityfiles, roots: [...roots] };
}

/**
 * Whether the watcher should look at `path`: on the way to a base, or within a pattern's reach. A folder
 * (when known to be one) must leave room below it: `*.md` reaches no subfolder.
 */
export function isRelevant(targets: Targets, path: string, isFolder = false): boolean {
  if (targets.mityfiles.has(path)) return true;
  for (const patterns of targets.inputs.values()) {
    for (const pattern of patterns) {
      if (path === pattern.base || pattern.base.startsWith(path.endsWith(sep) ? path : path + sep)) return true;
      const below = relative(pattern.base, path);
      if (below.startsWith("..") || below === "" || below.startsWith(sep)) continue;
      if (below.split(sep).length + (isFolder ? 1 : 0) <= pattern.depth) return true;
    }
  }
  return false;
}

/**
 * Whether the run itself writes `path` (a selected task's output): such a change is not news, since
 * the tasks that read it run again anyway as dependents of the one that wrote it.
 */
export function isOutput(targets: Targets, path: string): boolean {
  return targets.outputs.some((pattern) => matches(pattern, path));
}

/** Tasks of the selection whose inputs match one of the changed paths (absolute). */
export function tasksMatching(targets: Targets, paths: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const [name, patterns] of targets.inputs) {
    if (paths.some((path) => patterns.some((pattern) => matches(pattern, path)))) found.add(name);
  }
  return found;
}

/** Whether `path` lies in a folder kept off the watch, below the project's root (a project may itself sit in a node_modules). */
export function neverWatched(targets: Targets, path: string): boolean {
  return NEVER_WATCHED.test(relative(targets.root, path));
}

/** Folders to keep off the watch: tools' and mity's own, big and never an input. */
export const NEVER_WATCHED = /(^|[\\/])(node_modules|\.git|\.mity)([\\/]|$)/;

/** The nearest folder of a path that `exists`: a pattern's base may not be there yet. */
export function existingAncestor(path: string, exists: (path: string) => boolean): string {
  let current = path;
  while (!exists(current) && dirname(current) !== current) current = dirname(current);
  return current;
}
