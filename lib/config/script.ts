/**
 * Runs a compiled mityfile as a script from V8's code cache. Importing it as an ES module costs Node's
 * module loader about 4 ms at every start, and compiles a big mityfile (and each run function at its
 * first call) again each time: 10,000 tasks took about 30 ms that the cache skips.
 */
import { createRequire } from "node:module";
import { Script } from "node:vm";
import { readFileSync } from "node:fs";
import { writeAtomically } from "../util/files.js";
import { flagsFingerprint, readIfThere, saveCacheAtExit } from "../util/v8-cache.js";
import { SELF_SPECIFIER, type MityExports } from "./self.js";

/** Where a script's code cache is kept: beside it, per Node version and flags (V8 refuses any other). */
export const scriptCacheFile = (script: string): string => `${script}.${process.version}-${process.arch}-${flagsFingerprint()}.bin`;

/**
 * Runs the script and returns its exports, or undefined when it cannot be read (the module form is
 * then imported instead). `require("mity")` gives it `mity`, the running mity's exports as the top
 * handed them down. It throws what the mityfile's own code throws.
 */
export function runScript(script: string, mityfile: string, mity: MityExports): Record<string, unknown> | undefined {
  let code: string;
  try {
    code = readFileSync(script, "utf8");
  } catch {
    return undefined;
  }
  const cacheFile = scriptCacheFile(script);
  const cachedData = readIfThere(cacheFile);
  // Strict, as the module it was compiled from; `require` and `module` are the only names it is given.
  const wrapped = `(function (exports, require, module) {"use strict";${code}\n})`;
  const compiled = new Script(wrapped, { filename: script, ...(cachedData ? { cachedData } : {}) });
  // One comparison after a run added to the cache: what a mityfile's runs compile is mostly its run
  // functions, which the first run that ran tasks added, and comparing serializes the whole cache again.
  const save = (data: Buffer) => {
    try {
      writeAtomically(cacheFile, data);
    } catch {
      // A read-only cache folder costs speed, never the run.
    }
  };
  saveCacheAtExit(compiled, cachedData, cacheFile, save, 1);
  const load = createRequire(mityfile);
  // As an ES module would see them: a namespace of named exports.
  const self = Object.freeze({ ...mity, __esModule: true });
  const require = (id: string): unknown => (id === SELF_SPECIFIER ? self : load(id));
  const module = { exports: {} as Record<string, unknown> };
  (compiled.runInThisContext() as (...args: unknown[]) => void).call(undefined, module.exports, require, module);
  return module.exports;
}
