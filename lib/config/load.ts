import { MityError } from "../util/errors.js";
import { importModule } from "../util/import-module.js";
import { runScript } from "./script.js";
import type { MityExports } from "./self.js";
import { compileMityfile, type Compiled } from "./transpile.js";

let mapped = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((flag) => flag.includes("--enable-source-maps"));

/**
 * Stack traces that name the mityfile's own lines (--verbose): Node maps them through source maps for
 * modules, not for scripts, so the module form is loaded while this is on.
 */
export function mapStackTraces(on: boolean): void {
  mapped = on;
  process.setSourceMapsEnabled(on);
}

/** What a mityfile module gave: its default export, not yet checked. */
export interface LoadedFile {
  file: string;
  config: unknown;
  /** The files it was built from: itself and the local modules it imports. */
  modules: readonly string[];
}

/**
 * Compiles (or reuses the compiled form of) a mityfile and runs it: as a script when it can be one, else
 * as a module. A cached form that does not load (emptied, garbled) is built afresh once: only what the
 * fresh build does is the mityfile's own error. The script form needs `mity`, the running mity's
 * exports handed down from the top, to serve its `import "mity"`; without them the module form is used.
 */
export async function importMityfile(file: string, mity?: MityExports): Promise<LoadedFile> {
  const compiled = await compileMityfile(file);
  try {
    return await runCompiled(file, compiled, mity);
  } catch (error) {
    if (!compiled.cached) throw error;
    return runCompiled(file, await compileMityfile(file, true), mity);
  }
}

async function runCompiled(file: string, compiled: Compiled, mity: MityExports | undefined): Promise<LoadedFile> {
  let module: Record<string, unknown>;
  try {
    const script = compiled.script && mity && !mapped ? runScript(compiled.script, file, mity) : undefined;
    module = script ?? (await importModule(compiled.url));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new MityError(`loading the mityfile failed: ${message}`, { file }, { cause: error });
  }
  if (!("default" in module) || module.default === undefined) {
    throw new MityError('has no default export: write "export default defineConfig({ tasks: { ... } })"', { file });
  }
  return { file, config: await settled(module.default, file), modules: compiled.modules };
}

/** A default export that is a promise is awaited here, so that its rejection is the mityfile's error, not Node's unhandled one. */
async function settled(exported: unknown, file: string): Promise<unknown> {
  if (typeof (exported as { then?: unknown } | null)?.then !== "function") return exported;
  try {
    return await (exported as PromiseLike<unknown>);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new MityError(`its default export is a promise that was rejected: ${message}`, { file }, { cause: error });
  }
}
