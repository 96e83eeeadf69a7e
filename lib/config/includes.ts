import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { MityError } from "../util/errors.js";
import { NAME_PATTERN } from "../graph/names.js";
import { MITYFILE_NAMES, mityfileIn } from "./find.js";
import { importMityfile } from "./load.js";
import type { MityExports } from "./self.js";

/** One loaded mityfile and the namespace its tasks live in (`""` for the root). */
export interface MityfileSource {
  file: string;
  namespace: string;
  config: unknown;
}

/** Loads the root mityfile and, depth first, every mityfile it includes; `mity` serves their `import "mity"`. */
export async function loadWithIncludes(rootFile: string, mity?: MityExports): Promise<MityfileSource[]> {
  const sources: MityfileSource[] = [];
  await visit(rootFile, "", [], { out: sources, mity });
  return sources;
}

async function visit(file: string, namespace: string, chain: string[], load: { out: MityfileSource[]; mity: MityExports | undefined }): Promise<void> {
  const { out } = load;
  const { config } = await importMityfile(file, load.mity);
  out.push({ file, namespace, config });
  const include = (config as { include?: unknown } | null)?.include;
  if (include === undefined) return;
  if (typeof include !== "object" || include === null || Array.isArray(include)) {
    throw new MityError("must be an object mapping a namespace to a directory or file", { file, field: "include" });
  }
  for (const [name, target] of Object.entries(include)) {
    const field = `include.${name}`;
    if (!NAME_PATTERN.test(name)) {
      throw new MityError(`"${name}" is not a valid namespace (ASCII letters, digits, ".", "_", "-", not first a "-")`, { file, field });
    }
    if (typeof target !== "string") throw new MityError("must be a path (string)", { file, field });
    const included = includedFile(resolve(dirname(file), target), file, field);
    const nextChain = [...chain, file];
    if (nextChain.includes(included)) {
      throw new MityError(`include cycle: ${[...nextChain, included].join(" -> ")}`, { file, field });
    }
    await visit(included, namespace ? `${namespace}:${name}` : name, nextChain, load);
  }
}

function includedFile(path: string, file: string, field: string): string {
  if (!existsSync(path)) throw new MityError(`points to ${path}, which does not exist`, { file, field });
  if (!statSync(path).isDirectory()) return path;
  const found = mityfileIn(path);
  if (!found) throw new MityError(`${path} holds no mityfile (${MITYFILE_NAMES.join(", ")})`, { file, field });
  return found;
}
