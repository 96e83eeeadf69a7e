import { opendirSync, statSync } from "node:fs";
import { TooManyFiles, type Pacer } from "./pace.js";

/**
 * A folder's modification time must be this much older than the moment it was listed before a later
 * equal time proves the listing still holds: file systems stamp times with a coarse clock, so a file
 * added in the same tick as the listing would leave the time unchanged.
 */
const SETTLED_MS = 2000;

export interface Listed {
  /** Files, folders and symbolic links only: nothing else can be an input. */
  names: string[];
  /** One letter per name, kept compact for folders of many files: f(ile), d(irectory), l(ink). */
  kinds: string;
  /** Device and inode: which folder it really is, however it was reached. */
  id: string;
  mtimeMs: number;
}

/** Missing, or not a folder: nothing is there to list, which is no error. */
export const isAbsence = (error: unknown): boolean => ["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "");

/**
 * The entries of folders, listed once per run however many tasks scan them. A listing is reused only
 * while its folder's time is the settled one it had when listed; any other time lists the folder again.
 */
export class Listings {
  readonly #listed = new Map<string, Listed>();
  /** How many folders were read from disk rather than reused. */
  reads = 0;

  /** The folder's entries; undefined when there is no such folder. Throws when it cannot be read. */
  async list(dir: string, pacer: Pacer): Promise<Listed | undefined> {
    let stat;
    try {
      stat = statSync(dir);
    } catch (error) {
      if (isAbsence(error)) return undefined;
      throw error;
    }
    const known = this.#listed.get(dir);
    if (known?.mtimeMs === stat.mtimeMs) return known;
    const listedAt = Date.now();
    const entries = await readFolder(dir, pacer);
    this.reads++;
    if (!entries) return undefined;
    const listed = { ...entries, id: `${stat.dev}:${stat.ino}`, mtimeMs: stat.mtimeMs };
    if (stat.mtimeMs < listedAt - SETTLED_MS) this.#listed.set(dir, listed);
    else this.#listed.delete(dir);
    return listed;
  }
}

/** Reads a folder entry by entry, pausing as the pacer asks, so a huge folder does not hold the run. */
async function readFolder(dir: string, pacer: Pacer): Promise<Pick<Listed, "names" | "kinds"> | undefined> {
  let handle;
  try {
    // Entries are fetched from the system in batches, not one call each.
    handle = opendirSync(dir, { bufferSize: 256 });
  } catch (error) {
    if (isAbsence(error)) return undefined;
    throw error;
  }
  const entries: [string, string][] = [];
  try {
    for (let entry = handle.readSync(); entry; entry = handle.readSync()) {
      if (entries.length >= pacer.limit) throw new TooManyFiles();
      if (pacer.due()) await pacer.pause();
      const kind = entry.isFile() ? "f" : entry.isDirectory() ? "d" : entry.isSymbolicLink() ? "l" : undefined;
      if (kind !== undefined) entries.push([entry.name, kind]);
    }
  } finally {
    handle.closeSync();
  }
  // In name order, whatever order the file system keeps: the first change a check names is always the same.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { names: entries.map(([name]) => name), kinds: entries.map(([, kind]) => kind).join("") };
}
