import { statSync, type Dirent } from "node:fs";
import type { Listings } from "./listing.js";
import type { Pacer } from "./pace.js";
import type { Pattern } from "./pattern.js";

interface Folder {
  path: string;
  /** Relative to the pattern's base, "" for the base itself. */
  relative: string;
  depth: number;
  parent: Folder | undefined;
  /** Reached through a symbolic link, which may lead back into its own ancestors. */
  link: boolean;
  /** Device and inode, once listed. */
  id?: string;
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
  const folders: Folder[] = [{ path: pattern.base, relative: "", depth: 0, parent: undefined, link: false }];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    const listed = await listings.list(folder.path, pacer);
    if (!listed || (folder.link && isAncestor(folder.parent, listed.id))) continue;
    folder.id = listed.id;
    for (const entry of listed.entries) {
      pacer.count();
      if (pacer.due()) await pacer.pause();
      const kind = kindOf(entry, folder.path);
      if (kind === undefined) continue;
      const relative = folder.relative ? `${folder.relative}/${entry.name}` : entry.name;
      const path = childPath(folder.path, entry.name);
      if (kind === "file") {
        if (pattern.match!(relative)) await found(path);
      } else if (folder.depth + 2 <= pattern.depth && entry.name !== OWN_FOLDER) {
        folders.push({ path, relative, depth: folder.depth + 1, parent: folder, link: entry.isSymbolicLink() });
      }
    }
  }
}

function isAncestor(folder: Folder | undefined, id: string): boolean {
  for (let up = folder; up; up = up.parent) if (up.id === id) return true;
  return false;
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
