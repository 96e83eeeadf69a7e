/** Runs mity's bundle from V8's code cache: a later start skips parsing and compiling mity and its packages. */
import module from "node:module";
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { writeAtomically } from "../util/files.js";
import { IMPORT_HOOK } from "../util/import-module.js";
import { fingerprint, flagsFingerprint, readIfThere, saveCacheAtExit } from "../util/v8-cache.js";

/** What identifies one build of the bundle: a rebuild changes its inode change time even if size and mtime stay. */
type BundleStat = Pick<Stats, "size" | "mtimeMs" | "ctimeMs" | "ino">;

/**
 * Where the code cache of a bundle may be: beside it (it goes when mity is uninstalled), or in a folder
 * of the user's own in the temp folder when mity's folder cannot be written. V8 checks little more
 * than the length of the source, so the name holds all that tells builds apart (path, size, times,
 * inode) and the Node flags in use (V8 refuses a cache made under other flags).
 */
export function codeCacheFiles(bundle: string, stat: BundleStat): CodeCacheFiles {
  const build = fingerprint(`${bundle}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}`);
  const node = `${process.version}-${process.arch}-`;
  const name = `${node}${build}-${flagsFingerprint()}.bin`;
  return { beside: join(dirname(bundle), ".code-cache", name), temporary: join(userTempDir(), name), node, build: `${node}${build}-` };
}

interface CodeCacheFiles {
  beside: string;
  temporary: string;
  /** How the names of caches for this Node begin, and of those for this build of the bundle. */
  node: string;
  build: string;
}

/** The temp folder's cache folder for this user: `mity-code-cache-<uid>`, readable and writable by the user alone. */
const userTempDir = () => join(tmpdir(), `mity-code-cache-${process.getuid?.() ?? "user"}`);

/**
 * Whether `dir` is a folder only this user can write: anyone else who could write a cache there could
 * make mity run their code. Creates it (mode 700) when missing.
 */
export function privateFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // It exists already, or cannot be made: the check below decides.
  }
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

const sameBuild = (a: BundleStat, b: BundleStat) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/** Runs the bundle's `start()`, from the code cache when there is a good one; makes the cache when not. */
export async function startBundle(bundle: string): Promise<void> {
  await loadBundle(bundle).start!();
}

/**
 * Compiles and runs the bundle, which is one function expression taking CommonJS's wrapper parameters
 * (scripts/bundle.mjs writes it so): V8 keeps the file's text as the script's source, with no wrapped
 * copy of it beside (0.7 MB, kept for the whole run). Not async, so its locals (the text, the cache's
 * bytes) are not held by a suspended frame while mity runs.
 */
function loadBundle(bundle: string): { start?: () => Promise<void> } {
  const before = statSync(bundle);
  // The build writes the bundle as ASCII (scripts/bundle.mjs): read as latin1 it is the same text, without UTF-8's checks.
  const source = readFileSync(bundle, "latin1");
  // A bundle rebuilt while it was read has no name to file a cache under: run it without one.
  const steady = sameBuild(before, statSync(bundle));
  const files = codeCacheFiles(bundle, before);
  const besideData = steady ? readIfThere(files.beside) : undefined;
  const cachedData = besideData ?? (steady && privateFolder(dirname(files.temporary)) ? readIfThere(files.temporary) : undefined);
  const loadedFrom = besideData ? files.beside : files.temporary;
  const script = new Script(source, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  if (steady) saveCacheAtExit(script, cachedData, loadedFrom, (data) => saveCodeCache(data, files));
  (globalThis as Record<symbol, unknown>)[IMPORT_HOOK] = (specifier: string) => import(specifier);
  const cjs = { exports: {} as { start?: () => Promise<void> } };
  (script.runInThisContext() as (...args: unknown[]) => void)(cjs.exports, module.createRequire(bundle), cjs, bundle, dirname(bundle));
  return cjs.exports;
}

/** Writes the cache atomically, beside the bundle if it can; a cache that cannot be written costs speed, never the run. */
function saveCodeCache(data: Buffer, files: CodeCacheFiles): void {
  for (const file of [files.beside, files.temporary]) {
    try {
      if (file === files.temporary && !privateFolder(dirname(file))) return;
      mkdirSync(dirname(file), { recursive: true });
      writeAtomically(file, data);
      removeOtherBuilds(file, files);
      return;
    } catch {
      // Read-only or full: try the next place.
    }
  }
}

/** Caches of other builds of the bundle for this Node, and their counters: never read again. */
function removeOtherBuilds(kept: string, { node, build }: CodeCacheFiles): void {
  for (const name of readdirSync(dirname(kept))) {
    if (name.startsWith(node) && !name.startsWith(build)) rmSync(join(dirname(kept), name), { force: true });
  }
}
