import { existsSync, type Stats } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { existingAncestor, isRelevant, neverWatched, type Targets } from "./targets.js";

/** A running file watcher. */
export interface FileWatcher {
  close(): Promise<void>;
  /** How many files and folders it watches. */
  count(): number;
}

/**
 * Watches the targets' folders with chokidar (loaded here, so only watch mode pays for it) and tells
 * `onPath` every file added, changed or removed that a target could match. Folders no pattern can
 * reach, and node_modules, .git and .mity, are never walked.
 */
export async function openWatcher(targets: Targets, onPath: (path: string) => void, onError: (error: unknown) => void): Promise<FileWatcher> {
  // A package beside mity, not part of its bundle: a plain run's start-up reads none of it.
  const { watch } = createRequire(import.meta.url)("chokidar") as typeof import("chokidar");
  // A pattern's folder may not exist yet: its nearest existing parent is watched until it does.
  const roots = [...new Set(targets.roots.map((root) => existingAncestor(root, existsSync)))];
  const watcher = watch(roots, {
    ignoreInitial: true,
    ignored: (path: string, stats?: Stats) => neverWatched(targets, resolve(path)) || !isRelevant(targets, resolve(path), stats?.isDirectory()),
  });
  const told = (path: string) => onPath(resolve(path));
  watcher.on("add", told).on("change", told).on("unlink", told).on("error", onError);
  await new Promise<void>((ready) => watcher.once("ready", ready));
  return {
    close: () => watcher.close(),
    count: () => {
      let count = 0;
      for (const entries of Object.values(watcher.getWatched())) count += entries.length;
      return count;
    },
  };
}
