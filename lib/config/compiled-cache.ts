/**
 * The compiled-mityfile cache: each compiled form kept beside the mityfile (or in the temp folder when
 * that is read-only) under an index of the inputs it was built from, so an unchanged mityfile is reused
 * without loading the transpiler. One index per install of mity; stale forms are removed as new ones come.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { MityError } from "../util/errors.js";
import { ignoreItself, writeAtomically } from "../util/files.js";
import { sha256 } from "../util/hash.js";
import { fingerprint } from "../util/v8-cache.js";
import { SELF_ENTRY } from "./self.js";

/** Bumped when the compiled form changes, so older cache entries are not reused. */
const CACHE_FORMAT = 7;

export interface CacheIndex {
  format: number;
  self: string;
  /** The mityfile it was made for, as mity found it (esbuild names a symlinked one by its target). */
  entry: string;
  output: string;
  /** The same code as a script, when it imports nothing but Node's own modules and mity. */
  script?: string | undefined;
  inputs: { path: string; size: number; mtimeMs: number; hash: string }[];
}

/** Where compiled mityfiles are kept: beside the mityfile, so bare imports resolve from the same place. */
function cacheDirFor(file: string): string {
  return join(dirname(file), ".mity", "cache");
}

/** Where the compiled form goes when the mityfile's folder cannot be written. */
// Named without crypto, which a start that finds its compiled file has no other use for.
const fallbackCacheDir = (file: string) => join(tmpdir(), `mity-cache-${fingerprint(dirname(file))}`);

/**
 * One index per install of mity: two installs that take turns (a global one and the project's, two
 * Node versions' global ones) each keep their own compiled file rather than rebuilding it at every turn.
 */
const INSTALL = fingerprint(SELF_ENTRY);
const INDEX_NAME = /^[0-9a-f]{16}\.json$/;

function indexPath(file: string, dir = cacheDirFor(file)): string {
  return join(dir, `${basename(file)}.${INSTALL}.json`);
}

/** The cache index of `file`'s compiled forms when they still hold: beside it, else in the temp folder. */
export function findCompiled(file: string): CacheIndex | undefined {
  return readCache(file, cacheDirFor(file)) ?? readCache(file, fallbackCacheDir(file));
}

/** The cache index for `file` in `dir` when it still holds, else undefined: a damaged one is built again, never an error. */
function readCache(file: string, dir: string): CacheIndex | undefined {
  try {
    return validCache(file, dir, JSON.parse(readFileSync(indexPath(file, dir), "utf8")) as CacheIndex);
  } catch {
    return undefined;
  }
}

function validCache(file: string, dir: string, index: CacheIndex): CacheIndex | undefined {
  if (index.format !== CACHE_FORMAT || index.self !== SELF_ENTRY || typeof index.output !== "string" || !existsSync(index.output)) return undefined;
  if (index.script !== undefined && typeof index.script !== "string") return undefined;
  // A project folder copied with its .mity (cp -r, an archive) brings the other folder's index: its paths are not ours.
  if (index.entry !== file || dirname(index.output) !== dir) return undefined;
  for (const input of index.inputs) {
    try {
      const stat = statSync(input.path);
      if (stat.size === input.size && stat.mtimeMs === input.mtimeMs) continue;
      if (stat.size !== input.size || sha256(readFileSync(input.path)) !== input.hash) return undefined;
    } catch {
      return undefined;
    }
  }
  return index;
}

/** A compiled form: its code and its source map. */
export interface CompiledForm {
  code: string;
  map: string | undefined;
}

/** Writes the compiled forms and their index where it can: the mityfile's folder, else the temp folder. */
export function writeCache(file: string, compiled: CompiledForm & { script: CompiledForm | undefined }, inputs: CacheIndex["inputs"]): CacheIndex {
  const { code, map, script } = compiled;
  for (const dir of [cacheDirFor(file), fallbackCacheDir(file)]) {
    try {
      mkdirSync(dir, { recursive: true });
      if (basename(dirname(dir)) === ".mity") ignoreItself(dirname(dir));
      const stem = join(dir, `${basename(file)}.${sha256(code).slice(0, 16)}`);
      const output = `${stem}.mjs`;
      if (map !== undefined) writeAtomically(`${output}.map`, map);
      writeAtomically(output, map === undefined ? code : `${code}//# sourceMappingURL=${basename(output)}.map\n`);
      if (script !== undefined) {
        // No sourceMappingURL in the script: only a failure being shown reads its map, by this name.
        if (script.map !== undefined) writeAtomically(`${stem}.cjs.map`, script.map);
        writeAtomically(`${stem}.cjs`, script.code);
      }
      const index: CacheIndex = { format: CACHE_FORMAT, self: SELF_ENTRY, entry: file, output, script: script === undefined ? undefined : `${stem}.cjs`, inputs };
      writeAtomically(indexPath(file, dir), JSON.stringify(index));
      removeStale(dir, basename(file), basename(stem));
      return index;
    } catch {
      // A read-only project: try the next place.
    }
  }
  throw new MityError("cannot write the compiled mityfile anywhere (the project and the temp folder are read-only)", { file });
}

/**
 * Earlier compiled forms of the mityfile named `base`, with their maps and code caches: all but `keep`
 * and those another install's index still names. The index of an install that is gone goes too.
 */
function removeStale(dir: string, base: string, keep: string): void {
  const names = readdirSync(dir);
  const kept = new Set([keep]);
  const ownIndex = `${base}.${INSTALL}.json`;
  for (const name of names) {
    // The one index that all installs shared before each had its own.
    if (name === `${base}.json`) remove(join(dir, name));
    if (name === ownIndex || !name.startsWith(`${base}.`) || !INDEX_NAME.test(name.slice(base.length + 1))) continue;
    const other = otherInstall(join(dir, name));
    if (other === undefined) remove(join(dir, name));
    else kept.add(other);
  }
  for (const name of names) {
    const rest = name.slice(base.length + 1);
    const compiledForm = name.startsWith(`${base}.`) && /^[0-9a-f]{16}\.[cm]js/.test(rest);
    if (compiledForm && !kept.has(`${base}.${rest.slice(0, 16)}`)) remove(join(dir, name));
  }
}

/** The compiled file another install's index names (its name without the extension), or undefined when that install is gone. */
function otherInstall(path: string): string | undefined {
  try {
    const index = JSON.parse(readFileSync(path, "utf8")) as Partial<CacheIndex>;
    // The install's folder, not its entry file: an uninstall takes the whole folder away.
    if (typeof index.self !== "string" || typeof index.output !== "string" || !existsSync(dirname(index.self))) return undefined;
    return basename(index.output).replace(/\.mjs$/, "");
  } catch {
    return undefined;
  }
}

function remove(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Another run may have removed it first.
  }
}

