import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { MityError } from "../util/errors.js";

/** The names a mityfile may have, in the order they are looked for in each directory. */
export const MITYFILE_NAMES = ["mityfile.ts", "mityfile.mts", "mityfile.js", "mityfile.mjs"] as const;

export interface FindOptions {
  /** Where the search starts. */
  cwd: string;
  /** An explicit mityfile (`-f`): a file, or a directory holding one. */
  mityfile?: string | undefined;
  /** The user's own mityfile (`-g`). */
  global?: boolean | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** The directory of the user's own mityfile: `$XDG_CONFIG_HOME/mity`, else `~/.config/mity`. */
export function globalDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "mity");
}

/** The mityfile in `dir`, by the order of MITYFILE_NAMES; a directory or an unreadable entry of that name is passed over. */
export function mityfileIn(dir: string): string | undefined {
  for (const name of MITYFILE_NAMES) {
    const candidate = join(dir, name);
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return undefined;
}

/**
 * The path of the mityfile to use: the one named by `-f`, the global one with `-g`, otherwise the
 * nearest one in `cwd` or a directory above it. A walk of a few `stat` calls: a search library would
 * cost more to load (its file loaders, fs/promises, crypto) than the search itself.
 */
export async function findMityfile(options: FindOptions): Promise<string> {
  if (options.mityfile !== undefined) {
    const path = resolve(options.cwd, options.mityfile);
    if (!existsSync(path)) throw new MityError(`no such mityfile: ${path}`, {});
    if (!statSync(path).isDirectory()) return path;
    const found = mityfileIn(path);
    if (!found) throw new MityError(`no mityfile (${MITYFILE_NAMES.join(", ")}) in ${path}`);
    return found;
  }
  if (options.global) {
    const dir = globalDir(options.env);
    const found = mityfileIn(dir);
    if (!found) throw new MityError(`no global mityfile: create ${join(dir, "mityfile.ts")} (for example with "mity --init -C ${dir}")`);
    return found;
  }
  const start = resolve(options.cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    const found = mityfileIn(dir);
    if (found) return found;
    if (dirname(dir) === dir) break;
  }
  throw new MityError(`no mityfile found in ${start} or any directory above it. Create one with "mity --init".`);
}
