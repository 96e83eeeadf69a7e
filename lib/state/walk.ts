import { statSync } from "node:fs";
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
export async function walk(pattern: Pattern, listings: Listings, pacer: Pacer, found: (path: string) => Promise<void> | undefined): Promise<void> {
  const folders: Folder[] = [{ path: pattern.base, relative: "", depth: 0, parent: undefined, link: false }];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    const listed = await listings.list(folder.path, pacer);
    if (!listed || (folder.link && isAncestor(folder.parent, listed.id))) continue;
    folder.id = listed.id;
    const below: Folder[] = [];
    const { names, kinds } = listed;
    for (let index = 0; index < names.length; index++) {
      pacer.count();
      if (pacer.due()) await pacer.pause();
      const name = names[index]!;
      const path = childPath(folder.path, name);
      const kind = kindOf(kinds[index]!, path);
      if (kind === undefined) continue;
      const relative = folder.relative ? `${folder.relative}/${name}` : name;
      if (kind === "file") {
        // Awaited only when it is pending: a turn per file would cost more than the file's stat.
        const pending = pattern.match!(relative) ? found(path) : undefined;
        if (pending) await pending;
      } else if (folder.depth + 2 <= pattern.depth && name !== OWN_FOLDER) {
        below.push({ path, relative, depth: folder.depth + 1, parent: folder, link: kinds[index] === "l" });
      }
    }
    // Taken from the end: reversed, so subfolders are scanned in name order.
    folders.push(...below.reverse());
  }
}

function isAncestor(folder: Folder | undefined, id: string): boolean {
  for (let up = folder; up; up = up.parent) if (up.id === id) return true;
  return false;
}

/** A file, a folder, or undefined for a link to anything else (a FIFO, a socket, a device) or to nothing. */
function kindOf(kind: string, path: string): "file" | "folder" | undefined {
  if (kind !== "l") return kind === "f" ? "file" : "folder";
  try {
    const target = statSync(path);
    return target.isFile() ? "file" : target.isDirectory() ? "folder" : undefined;
  } catch {
    // Dangling, or a loop of links: nothing to read.
    return undefined;
  }
}
