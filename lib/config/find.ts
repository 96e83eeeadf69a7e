import type { CosmiconfigResult, LoaderSync, PublicExplorerSync } from "cosmiconfig";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, join, parse, resolve } from "node:path";
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
 * nearest one in `cwd` or a directory above it. cosmiconfig does the search, with loaders that only
 * say "found": mity compiles and caches the mityfile itself (cosmiconfig's TypeScript loader would
 * cost a start half a second).
 */
export async function findMityfile(options: FindOptions): Promise<string> {
  if (options.mityfile !== undefined) {
    const path = resolve(options.cwd, options.mityfile);
    if (!existsSync(path)) throw new MityError(`no such mityfile: ${path}`, {});
    if (!statSync(path).isDirectory()) return mityfileSearch("none").load(path)?.filepath ?? path;
    const found = mityfileSearch("none").search(path)?.filepath;
    if (!found) throw new MityError(`no mityfile (${MITYFILE_NAMES.join(", ")}) in ${path}`);
    return found;
  }
  if (options.global) {
    const dir = globalDir(options.env);
    const found = mityfileSearch("none").search(dir)?.filepath;
    if (!found) throw new MityError(`no global mityfile: create ${join(dir, "mityfile.ts")} (for example with "mity --init -C ${dir}")`);
    return found;
  }
  const start = resolve(options.cwd);
  const found = mityfileSearch("upward", start).search(start)?.filepath;
  if (found) return found;
  throw new MityError(`no mityfile found in ${start} or any directory above it. Create one with "mity --init".`);
}

/** Says a file was found and reads nothing of it: what it holds is mity's to compile. */
const found: LoaderSync = () => true;
const SEARCH_ONLY = Object.fromEntries([".ts", ".mts", ".js", ".mjs", ".cjs", ".json", ".yaml", ".yml", "noExt"].map((ext) => [ext, found]));
const MITYFILE_BASENAMES = new Set<string>(MITYFILE_NAMES);

/**
 * A cosmiconfig search for mityfiles: in one directory ("none"), or from it up to the root of the file
 * system ("upward"). An empty mityfile is found (and reported), not passed over.
 */
function mityfileSearch(how: "none" | "upward", from = "/"): PublicExplorerSync {
  return cosmiconfigLibrary().cosmiconfigSync("mity", {
    searchPlaces: [...MITYFILE_NAMES],
    loaders: SEARCH_ONLY,
    ignoreEmptySearchPlaces: false,
    cache: false,
    ...(how === "upward"
      ? {
          searchStrategy: "global" as const,
          stopDir: parse(from).root,
          // The walk ends in the person's settings folder, which holds settings (config.json...), not a mityfile.
          transform: (result: CosmiconfigResult) => (result && MITYFILE_BASENAMES.has(basename(result.filepath)) ? result : null),
        }
      : { searchStrategy: "none" as const }),
  });
}

type Cosmiconfig = typeof import("cosmiconfig");
let library: Cosmiconfig | undefined;

/** cosmiconfig, loaded at its first use: `--help`, `--version` and `--init` search nothing. */
export function cosmiconfigLibrary(): Cosmiconfig {
  return (library ??= createRequire(import.meta.url)("cosmiconfig") as Cosmiconfig);
}
