import { parse, relative, sep } from "node:path";
import { fingerprintFile } from "./file-hash.js";
import type { FileEntry, FileTable, Scan } from "./files.js";
import { Listings } from "./listing.js";
import { MAX_ENTRIES, Pacer, TooManyFiles } from "./pace.js";
import { matches, parsePattern } from "./pattern.js";
import { OWN_FOLDER, walk } from "./walk.js";

/** What the scans of one run share: the run's stop signal, and the folders already listed. */
export interface ScanContext {
  signal?: AbortSignal | undefined;
  listings?: Listings;
  /** The most files and folders one list of patterns may reach (a million unless set). */
  limit?: number;
}

export interface PatternScan extends Scan {
  /**
   * Why the files found may not be all there are (an unreadable file or folder, a pattern too wide
   * to scan): the task must run, and this says why.
   */
  problems: string[];
}

type Kind = "inputs" | "outputs";

/**
 * Finds the files that a task's patterns match (`!pattern` excludes) and fingerprints each by content,
 * keyed by its path relative to `cwd`. A file whose size and time are what `previous` recorded keeps
 * its recorded hash unread. Throws only the run's abort reason.
 */
export async function scanPatterns(kind: Kind, cwd: string, patterns: readonly string[], previous: FileTable = {}, context: ScanContext = {}): Promise<PatternScan> {
  const pacer = new Pacer(context.signal, context.limit);
  const listings = (context.listings ??= new Listings());
  const excluded = patterns.filter((text) => text.startsWith("!")).map((text) => parsePattern(cwd, text.slice(1)));
  const scan: PatternScan = { files: {}, empty: [], problems: [] };
  const inside = cwd.endsWith(sep) ? cwd : `${cwd}${sep}`;
  const slashed = (path: string) => (sep === "/" ? path : path.split(sep).join("/"));
  const keyOf = (path: string) => slashed(path.startsWith(inside) ? path.slice(inside.length) : relative(cwd, path));
  for (const text of patterns.filter((text) => !text.startsWith("!"))) {
    const pattern = parsePattern(cwd, text);
    let found = 0;
    const add = (key: string) => (entry: FileEntry | undefined) => {
      if (!entry) return;
      scan.files[key] = entry;
      found++;
    };
    // Synchronous unless the file must be read: most files of an up-to-date check are not.
    const take = (path: string): Promise<void> | undefined => {
      if (excluded.length > 0 && excluded.some((exclusion) => matches(exclusion, path))) return undefined;
      const key = keyOf(path);
      if (key.includes(OWN_FOLDER) && key.split("/").includes(OWN_FOLDER)) return undefined;
      const entry = scan.files[key] ?? fingerprintFile(path, previous[key], pacer);
      if (entry instanceof Promise) return entry.then(add(key));
      add(key)(entry);
      return undefined;
    };
    try {
      if (pattern.match && parse(pattern.base).root === pattern.base) {
        scan.problems.push(`${kind} pattern "${text}" would scan the whole file system from ${pattern.base}: name the folders the task uses`);
        continue;
      }
      if (pattern.match) await walk(pattern, listings, pacer, take);
      else await take(pattern.base);
    } catch (error) {
      if (context.signal?.aborted) throw error;
      scan.problems.push(problemOf(kind, text, cwd, error, context.limit));
      if (error instanceof TooManyFiles) break;
      continue;
    }
    if (found === 0) scan.empty.push(text);
  }
  return scan;
}

function problemOf(kind: Kind, text: string, cwd: string, error: unknown, limit = MAX_ENTRIES): string {
  if (error instanceof TooManyFiles) {
    return `${kind} patterns reach more than ${limit.toLocaleString("en")} files and folders (stopped at "${text}"): name the folders the task uses`;
  }
  const { code, path, message } = error as NodeJS.ErrnoException;
  const where = path === undefined ? "a file it matches" : relative(cwd, path) || ".";
  return `${kind} pattern "${text}": ${where} cannot be read (${code ?? message})`;
}
