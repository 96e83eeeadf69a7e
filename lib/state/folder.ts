import { accessSync, constants, lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fingerprint } from "../util/v8-cache.js";

/** Where mity keeps a project's state and lock files, and a note to show the first time it is the temp folder. */
export interface MityFolder {
  dir: string;
  note?: string | undefined;
}

const UNWRITABLE = new Set(["EROFS", "EACCES", "EPERM"]);

/**
 * `.mity` beside the root mityfile; when the project cannot be written (a read-only checkout or mount),
 * a folder of this user's own in the temp folder, one per project, as the compiled mityfile does.
 */
export function mityFolder(root: string): MityFolder {
  const dir = join(root, ".mity");
  const cause = unwritable(dir);
  if (cause === undefined) return { dir };
  const fallback = join(tmpdir(), `mity-state-${process.getuid?.() ?? "user"}-${fingerprint(root)}`);
  const made = makePrivate(fallback);
  if (made === undefined) return { dir };
  return { dir: fallback, ...(made ? { note: `${root} cannot be written (${cause}); mity keeps this project's state in ${fallback} instead` } : {}) };
}

/** The reason the folder (or, when it does not exist yet, the project) cannot be written; undefined when it can. */
function unwritable(dir: string): string | undefined {
  for (const path of [dir, join(dir, "..")]) {
    try {
      accessSync(path, constants.W_OK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (UNWRITABLE.has(code)) return code === "EROFS" ? "read-only file system" : "permission denied";
      if (code !== "ENOENT") return undefined;
    }
  }
  return undefined;
}

/** Makes the folder (mode 700): true when made now, false when it was there, undefined when it is not safely ours. */
function makePrivate(dir: string): boolean | undefined {
  let made = true;
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    made = false;
  }
  try {
    const stat = lstatSync(dir);
    // Anyone else who could write here could forge the state, and so which tasks run.
    return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0 ? made : undefined;
  } catch {
    return undefined;
  }
}
