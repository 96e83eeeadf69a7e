/** Runs mity's bundle from V8's code cache: a later start skips parsing and compiling mity and its packages. */
import module from "node:module";
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { writeAtomically } from "../util/files.js";
import { IMPORT_HOOK } from "../util/import-module.js";

/** 64 bits of FNV-1a (two 32-bit runs): a name for a text, without loading crypto (~2 ms of a start). */
function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/** What identifies one build of the bundle: a rebuild changes its inode change time even if size and mtime stay. */
type BundleStat = Pick<Stats, "size" | "mtimeMs" | "ctimeMs" | "ino">;

/**
 * Where the code cache of a bundle may be: beside it (it goes when mity is uninstalled), or in a folder
 * of the user's own in the temp folder when mity's folder cannot be written. V8 checks little more
 * than the length of the source, so the name holds all that tells builds apart (path, size, times,
 * inode) and the Node flags in use (V8 refuses a cache made under other flags).
 */
export function codeCacheFiles(bundle: string, stat: BundleStat): { beside: string; temporary: string; prefix: string } {
  const build = fingerprint(`${bundle}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}`);
  const flags = fingerprint(`${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`);
  const prefix = `${process.version}-${process.arch}-`;
  const name = `${prefix}${build}-${flags}.bin`;
  return { beside: join(dirname(bundle), ".code-cache", name), temporary: join(userTempDir(), name), prefix: `${prefix}${build}-` };
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

/** How long (since the process started) a run must take before it may add to an existing cache. */
const EXTEND_AFTER_MS = 150;
/** How much more a cache must hold to be written again. */
const EXTEND_BYTES = 16 * 1024;
/** How many long runs that found nothing to add compare again; later ones no longer pay for the comparison. */
const EXTEND_CHECKS = 3;

const sameBuild = (a: BundleStat, b: BundleStat) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/** Runs the bundle's `start()`, from the code cache when there is a good one; makes the cache when not. */
export async function startBundle(bundle: string): Promise<void> {
  const before = statSync(bundle);
  const source = readFileSync(bundle, "utf8");
  // A bundle rebuilt while it was read has no name to file a cache under: run it without one.
  const steady = sameBuild(before, statSync(bundle));
  const files = codeCacheFiles(bundle, before);
  const besideData = steady ? readIfThere(files.beside) : undefined;
  const cachedData = besideData ?? (steady && privateFolder(dirname(files.temporary)) ? readIfThere(files.temporary) : undefined);
  const loadedFrom = besideData ? files.beside : files.temporary;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  // Made at exit, the cache holds every function the run compiled, not just the top level. A cache
  // made by one kind of run (a listing) lacks what another needs (running tasks): runs long enough
  // that a few milliseconds do not count add what they compiled, when that is more than a little.
  // Once a few such runs found nothing to add, later ones skip the comparison (its count is kept beside the cache).
  if (steady) {
    process.once("exit", () => {
      if (!cachedData || script.cachedDataRejected) return saveCodeCache(script.createCachedData(), files);
      if (performance.now() < EXTEND_AFTER_MS) return;
      const counter = `${loadedFrom}.checks`;
      const checks = Number(readIfThere(counter)?.toString() ?? 0) || 0;
      if (checks >= EXTEND_CHECKS) return;
      const data = script.createCachedData();
      if (data.length > cachedData.length + EXTEND_BYTES) return saveCodeCache(data, files);
      try {
        writeFileSync(counter, String(checks + 1));
      } catch {
        // Unwritable: the next long run checks again.
      }
    });
  }
  (globalThis as Record<symbol, unknown>)[IMPORT_HOOK] = (specifier: string) => import(specifier);
  const cjs = { exports: {} as { start?: () => Promise<void> } };
  (script.runInThisContext() as (...args: unknown[]) => void)(cjs.exports, module.createRequire(bundle), cjs, bundle, dirname(bundle));
  await cjs.exports.start!();
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically, beside the bundle if it can; a cache that cannot be written costs speed, never the run. */
function saveCodeCache(data: Buffer, files: { beside: string; temporary: string; prefix: string }): void {
  for (const file of [files.beside, files.temporary]) {
    try {
      if (file === files.temporary && !privateFolder(dirname(file))) return;
      mkdirSync(dirname(file), { recursive: true });
      writeAtomically(file, data);
      removeOtherBuilds(file, files.prefix);
      return;
    } catch {
      // Read-only or full: try the next place.
    }
  }
}

/** Caches of other builds of the bundle for this Node, and their counters: never read again. */
function removeOtherBuilds(kept: string, prefix: string): void {
  const version = prefix.slice(0, prefix.lastIndexOf("-", prefix.length - 2) + 1);
  for (const name of readdirSync(dirname(kept))) {
    if (name.startsWith(version) && !name.startsWith(prefix)) rmSync(join(dirname(kept), name), { force: true });
  }
}
