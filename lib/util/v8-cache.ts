/** What mity's bundle and compiled mityfiles share to run from V8's code cache. */
import { readFileSync, writeFileSync } from "node:fs";
import type { Script } from "node:vm";

/** 64 bits of FNV-1a (two 32-bit runs): a name for a text, without loading crypto (~2 ms of a start). */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/** Names the Node flags in use: V8 refuses a cache made under other flags. */
export const flagsFingerprint = (): string => fingerprint(`${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`);

export function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** How long (since the process started) a run must take before it may add to an existing cache. */
const EXTEND_AFTER_MS = 150;
/** How much more a cache must hold to be written again. */
const EXTEND_BYTES = 16 * 1024;
/** How many long runs that found nothing to add compare again, by default; later ones no longer pay for the comparison. */
const EXTEND_CHECKS = 3;

interface PendingCache {
  script: Script;
  /** The length of the cache the script was compiled with: the bytes themselves (megabytes for a big mityfile) are let go. */
  cachedBytes: number | undefined;
  save: (data: Buffer) => void;
  checks: number;
}

/** Scripts whose caches are looked at when the process exits, by the file their cache was read from. */
const pending = new Map<string, PendingCache>();

/**
 * Saves a script's code cache when the process exits. Made at exit, the cache holds every function
 * the run compiled, not just the top level. A cache made by one kind of run (a listing) lacks what
 * another needs (running tasks): runs long enough that a few milliseconds do not count add what they
 * compiled, when that is more than a little. Once `checks` such runs (3 unless told) found nothing to add, later ones
 * skip the comparison (its count is kept in `<loadedFrom>.checks`). A program that loads the same
 * script again and again keeps one exit listener and the latest script.
 */
export function saveCacheAtExit(script: Script, cachedData: Buffer | undefined, loadedFrom: string, save: (data: Buffer) => void, checks = EXTEND_CHECKS): void {
  if (pending.size === 0) process.once("exit", () => pending.forEach(refresh));
  pending.set(loadedFrom, { script, cachedBytes: cachedData?.length, save, checks });
}

function refresh({ script, cachedBytes, save, checks: most }: PendingCache, loadedFrom: string): void {
  if (cachedBytes === undefined || script.cachedDataRejected) return save(script.createCachedData());
  if (performance.now() < EXTEND_AFTER_MS) return;
  const counter = `${loadedFrom}.checks`;
  const checks = Number(readIfThere(counter)?.toString() ?? 0) || 0;
  if (checks >= most) return;
  const data = script.createCachedData();
  if (data.length > cachedBytes + EXTEND_BYTES) return save(data);
  try {
    writeFileSync(counter, String(checks + 1));
  } catch {
    // Unwritable: the next long run checks again.
  }
}
