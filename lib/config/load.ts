import { MityError } from "../util/errors.js";
import { importModule } from "../util/import-module.js";
import { compileMityfile } from "./transpile.js";

/** What a mityfile module gave: its default export, not yet checked. */
export interface LoadedFile {
  file: string;
  config: unknown;
}

/** Compiles (or reuses the compiled form of) a mityfile and imports it. */
export async function importMityfile(file: string): Promise<LoadedFile> {
  const url = await compileMityfile(file);
  let module: Record<string, unknown>;
  try {
    module = await importModule(url);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new MityError(`loading the mityfile failed: ${message}`, { file }, { cause: error });
  }
  if (!("default" in module) || module.default === undefined) {
    throw new MityError('has no default export: write "export default defineConfig({ tasks: { ... } })"', { file });
  }
  return { file, config: module.default };
}
