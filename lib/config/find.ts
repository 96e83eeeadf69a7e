import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join, parse, resolve } from "node:path";
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

/** Searches with cosmiconfig and returns the path of the mityfile to use. */
export async function findMityfile(options: FindOptions): Promise<string> {
  // A CommonJS package: require skips the ESM wrapper that import() would build around it.
  const { cosmiconfig } = createRequire(import.meta.url)("cosmiconfig") as typeof import("cosmiconfig");
  // Loading is ours (see load.ts): cosmiconfig only says where the file is.
  const noLoad = () => ({});
  const loaders = Object.fromEntries([".ts", ".mts", ".js", ".mjs"].map((ext) => [ext, noLoad]));
  if (options.mityfile !== undefined) {
    const path = resolve(options.cwd, options.mityfile);
    if (!existsSync(path)) throw new MityError(`no such mityfile: ${path}`, {});
    if (!statSync(path).isDirectory()) return path;
    const found = MITYFILE_NAMES.map((name) => join(path, name)).find((candidate) => existsSync(candidate));
    if (!found) throw new MityError(`no mityfile (${MITYFILE_NAMES.join(", ")}) in ${path}`);
    return found;
  }
  const dir = options.global ? globalDir(options.env) : options.cwd;
  const explorer = cosmiconfig("mity", {
    searchPlaces: [...MITYFILE_NAMES],
    loaders,
    searchStrategy: options.global ? "none" : "global",
    ...(options.global ? {} : { stopDir: parse(resolve(dir)).root }),
    ignoreEmptySearchPlaces: false,
    cache: false,
  });
  const result = await explorer.search(dir);
  // The "global" strategy also looks in cosmiconfig's own config folder: only a real mityfile counts.
  if (result && MITYFILE_NAMES.some((name) => result.filepath.endsWith(`/${name}`) || result.filepath.endsWith(`\\${name}`))) {
    return result.filepath;
  }
  if (options.global) throw new MityError(`no global mityfile: create ${join(dir, "mityfile.ts")} (for example with "mity --init -C ${dir}")`);
  throw new MityError(`no mityfile found in ${dir} or any directory above it. Create one with "mity --init".`);
}
