import { realpathSync, statSync, type Dirent } from "node:fs";
import { isAbsence, type Listings } from "./listing.js";
import type { Pacer } from "./pace.js";
import type { Pattern } from "./pattern.js";

interface Folder {
  path: string;
  /** Relative to the pattern's base, "" for the base itself. */
  relative: string;
  /** Where it really is, to notice a symbolic link that leads back into its own ancestors. */
  real: string;
  depth: number;
  parent: Folder | undefined;
}

/** mity's own folder (state, logs) never holds a task's inputs or outputs. */
export const OWN_FOLDER = ".mity";

const childPath = (dir: string, name: string) => (dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`);

/**
 * Calls `found` with the absolute path of each file below a glob pattern's base that it matches.
 * Symbolic links are followed (not into their own ancestors); FIFOs, sockets and devices are never
 * files, so nothing here opens one.
 */
export async function walk(pattern: Pattern, listings: Listings, pacer: Pacer, found: (path: string) => Promise<void>): Promise<void> {
  let real: string;
  try {
    real = realpathSync(pattern.base);
  } catch (error) {
    if (isAbsence(error)) return;
    throw error;
  }
  const folders: Folder[] = [{ path: pattern.base, relative: "", real, depth: 0, parent: undefined }];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    for (const entry of (await listings.list(folder.path, pacer)) ?? []) {
      pacer.count();
      if (pacer.due()) await pacer.pause();
      const kind = kindOf(entry, folder.path);
      if (kind === undefined) continue;
      const relative = folder.relative ? `${folder.relative}/${entry.name}` : entry.name;
      const path = childPath(folder.path, entry.name);
      if (kind === "file") {
        if (pattern.match!(relative)) await found(path);
      } else if (folder.depth + 2 <= pattern.depth && entry.name !== OWN_FOLDER) {
        const sub = subFolder(folder, entry, path, relative);
        if (sub) folders.push(sub);
      }
    }
  }
}

/** A file, a folder, or undefined for anything else (a FIFO, a socket, a device, a dangling link). */
function kindOf(entry: Dirent, dir: string): "file" | "folder" | undefined {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "folder";
  if (!entry.isSymbolicLink()) return undefined;
  try {
    const target = statSync(childPath(dir, entry.name));
    return target.isFile() ? "file" : target.isDirectory() ? "folder" : undefined;
  } catch {
    return undefined;
  }
}

function subFolder(parent: Folder, entry: Dirent, path: string, relative: string): Folder | undefined {
  let real = childPath(parent.real, entry.name);
  if (entry.isSymbolicLink()) {
    try {
      real = realpathSync(path);
    } catch {
      return undefined;
    }
    for (let up: Folder | undefined = parent; up; up = up.parent) if (up.real === real) return undefined;
  }
  return { path, relative, real, depth: parent.depth + 1, parent };
}
