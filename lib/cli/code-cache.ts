/** Runs mity's bundle from V8's code cache: a later start skips parsing and compiling mity and its packages. */
import module from "node:module";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { IMPORT_HOOK } from "../util/import-module.js";

/**
 * Where the code cache of a bundle may be: beside it (it goes when mity is uninstalled), or in the temp
 * folder when mity's folder cannot be written. The name holds the Node version and the bundle's size
 * and time: V8 checks little more than the length of the source, so no cache may meet another bundle.
 */
export function codeCacheFiles(bundle: string, size: number, mtimeMs: number): { beside: string; temporary: string } {
  const name = `${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.bin`;
  // FNV-1a of the path, so two installs share no file in the temp folder (crypto would cost a start ~2 ms).
  let hash = 0x811c9dc5;
  for (let i = 0; i < bundle.length; i++) hash = Math.imul(hash ^ bundle.charCodeAt(i), 0x01000193) >>> 0;
  return {
    beside: join(dirname(bundle), ".code-cache", name),
    temporary: join(tmpdir(), "mity-code-cache", `${hash.toString(16)}-${name}`),
  };
}

/** How long (since the process started) a run must take before it may add to an existing cache. */
const EXTEND_AFTER_MS = 150;
/** How much more a cache must hold to be written again. */
const EXTEND_BYTES = 16 * 1024;
/** How many long runs compare what they compiled with the cache. */
const EXTEND_CHECKS = 3;

/** Runs the bundle's `start()`, from the code cache when there is a good one; makes the cache when not. */
export async function startBundle(bundle: string): Promise<void> {
  const source = readFileSync(bundle, "utf8");
  const { size, mtimeMs } = statSync(bundle);
  const files = codeCacheFiles(bundle, size, mtimeMs);
  const besideData = readIfThere(files.beside);
  const cachedData = besideData ?? readIfThere(files.temporary);
  const loadedFrom = besideData ? files.beside : files.temporary;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  // Made at exit, the cache holds every function the run compiled, not just the top level. A cache
  // made by one kind of run (a listing) lacks what another needs (running tasks): the first few runs
  // long enough that a few milliseconds do not count add what they compiled, when that is more than a
  // little. Their count is kept beside the cache, so later runs do not pay for the comparison.
  process.once("exit", () => {
    if (!cachedData || script.cachedDataRejected) return saveCodeCache(script.createCachedData(), files);
    if (performance.now() < EXTEND_AFTER_MS) return;
    const counter = `${loadedFrom}.checks`;
    const checks = Number(readIfThere(counter)?.toString() ?? 0) || 0;
    if (checks >= EXTEND_CHECKS) return;
    const data = script.createCachedData();
    if (data.length > cachedData.length + EXTEND_BYTES) saveCodeCache(data, files);
    try {
      writeFileSync(counter, String(checks + 1));
    } catch {
      // Unwritable: the next long run checks again.
    }
  });
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
function saveCodeCache(data: Buffer, files: { beside: string; temporary: string }): void {
  for (const file of [files.beside, files.temporary]) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, data);
      renameSync(partial, file);
      if (file === files.beside) removeOlderCaches(file);
      return;
    } catch {
      // Read-only or full: try the next place.
    }
  }
}

/** Caches of earlier builds for this Node: never read again. */
function removeOlderCaches(kept: string): void {
  const prefix = `${process.version}-${process.arch}-`;
  for (const name of readdirSync(dirname(kept))) {
    const old = name.endsWith(".bin") || name.endsWith(".bin.checks");
    if (!name.startsWith(basename(kept)) && name.startsWith(prefix) && old) rmSync(join(dirname(kept), name), { force: true });
  }
}
