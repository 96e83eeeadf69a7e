import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../util/hash.js";

/** What is known of one file: size and time for the fast path, and a hash of its content. */
export interface FileEntry {
  size: number;
  mtimeMs: number;
  hash: string;
}

/** Files by path relative to the task's cwd. */
export type FileTable = Record<string, FileEntry>;

export interface Scan {
  files: FileTable;
  /** Patterns that matched no file. */
  empty: string[];
}

/**
 * Finds the files that globs match (`!pattern` excludes) and fingerprints each by content. A file
 * whose size and modification time are what `previous` recorded keeps its recorded hash unread.
 */
export async function scanFiles(cwd: string, patterns: readonly string[], previous: FileTable = {}): Promise<Scan> {
  const { globSync } = await import("tinyglobby");
  // mity's own state and logs are never a task's inputs or outputs.
  const ignore = [...patterns.filter((pattern) => pattern.startsWith("!")).map((pattern) => pattern.slice(1)), "**/.mity/**"];
  const files: FileTable = {};
  const empty: string[] = [];
  for (const pattern of patterns.filter((pattern) => !pattern.startsWith("!"))) {
    const matched = globSync([pattern], { cwd, ignore, dot: true, onlyFiles: true, expandDirectories: false });
    if (matched.length === 0) empty.push(pattern);
    for (const path of matched) {
      if (files[path]) continue;
      const entry = fingerprintFile(join(cwd, path), previous[path]);
      if (entry) files[path] = entry;
    }
  }
  return { files, empty };
}

function fingerprintFile(path: string, known: FileEntry | undefined): FileEntry | undefined {
  try {
    const stat = statSync(path);
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known;
    return { size: stat.size, mtimeMs: stat.mtimeMs, hash: sha256(readFileSync(path)) };
  } catch {
    // Removed between the glob and the read: it is simply not there.
    return undefined;
  }
}

/** The first difference between two file tables, in words; undefined when they hold the same contents. */
export function fileChange(kind: "input" | "output", before: FileTable, now: FileTable, newCounts: boolean): string | undefined {
  for (const [path, entry] of Object.entries(before)) {
    const current = now[path];
    if (!current) return kind === "output" ? `output ${path} is missing` : `input ${path} was removed`;
    if (current.hash !== entry.hash) return `${kind} ${path} changed`;
  }
  if (newCounts) for (const path of Object.keys(now)) if (!before[path]) return `${kind} ${path} is new`;
  return undefined;
}
