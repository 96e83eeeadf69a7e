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
