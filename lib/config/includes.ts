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
  /** The files it was built from: itself and the local modules it imports (absent: itself alone). */
  modules?: readonly string[];
}

/** An include that names the git repository belonging at its path (`mity --sync` lays it out). */
export interface IncludedRepository {
  /** The mityfile that declares the include. */
  file: string;
  /** `include.<name>`, for messages. */
  field: string;
  /** The namespace its tasks get. */
  namespace: string;
  /** Absolute path where the repository belongs. */
  path: string;
  git: string;
  /** The branch it tracks; unset: the branch the clone starts on. */
  ref: string | undefined;
  /** Whether its path exists. */
  present: boolean;
}

/** Every mityfile that could be loaded, and every include naming a repository, present or not. */
export interface IncludeTree {
  sources: MityfileSource[];
  repositories: IncludedRepository[];
}

const REPOSITORY_FIELDS = ["path", "git", "ref"];

/**
 * Loads the root mityfile and, depth first, every mityfile it includes; a repository not yet cloned is
 * passed over. With `onBroken`, an included mityfile that does not load is told to it and passed over
 * too (a sync may bring its fix). `mity`, the running mity's exports, serves the mityfiles' `import "mity"`.
 */
export async function loadIncludeTree(rootFile: string, onBroken?: (error: MityError) => void, mity?: MityExports): Promise<IncludeTree> {
  const tree: IncludeTree = { sources: [], repositories: [] };
  await visit(rootFile, "", [], tree, { onBroken, mity });
  return tree;
}

/** The message for includes whose repositories are not there yet: the first one's place, and the others' names. */
export function missingError(missing: readonly IncludedRepository[]): MityError {
  const [first, ...others] = missing as [IncludedRepository, ...IncludedRepository[]];
  const more = others.length === 0 ? "" : ` (nor are ${others.map((repository) => repository.field).join(", ")})`;
  return new MityError(`the repository ${first.git} is not at ${first.path} yet${more}: run "mity --sync" to clone it`, { file: first.file, field: first.field });
}

interface VisitOptions {
  onBroken: ((error: MityError) => void) | undefined;
  mity: MityExports | undefined;
}

async function visit(file: string, namespace: string, chain: string[], tree: IncludeTree, options: VisitOptions): Promise<void> {
  const { onBroken } = options;
  let config: unknown;
  let modules: readonly string[];
  try {
    ({ config, modules } = await importMityfile(file, options.mity));
  } catch (error) {
    if (!onBroken || chain.length === 0 || !(error instanceof MityError)) throw error;
    return onBroken(error);
  }
  tree.sources.push({ file, namespace, config, modules });
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
    const { path, git, ref } = includeTarget(target, file, field);
    const full = resolve(dirname(file), path);
    const nested = namespace ? `${namespace}:${name}` : name;
    if (git !== undefined) {
      const present = existsSync(full);
      tree.repositories.push({ file, field, namespace: nested, path: full, git, ref, present });
      if (!present) continue;
    }
    const included = includedFile(full, file, field);
    const nextChain = [...chain, file];
    if (nextChain.includes(included)) {
      throw new MityError(`include cycle: ${[...nextChain, included].join(" -> ")}`, { file, field });
    }
    await visit(included, nested, nextChain, tree, options);
  }
}

/** The plain form (`"./firewall"`) or the one naming a repository (`{ path, git, ref }`), checked. */
function includeTarget(target: unknown, file: string, field: string): { path: string; git?: string | undefined; ref?: string | undefined } {
  if (typeof target === "string") return { path: target };
  if (typeof target !== "object" || target === null || Array.isArray(target)) {
    throw new MityError('must be a path (string) or { path, git, ref }', { file, field });
  }
  const fields = target as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!REPOSITORY_FIELDS.includes(key)) throw new MityError(`unknown field "${key}" (fields: ${REPOSITORY_FIELDS.join(", ")})`, { file, field: `${field}.${key}` });
  }
  if (typeof fields.path !== "string" || fields.path === "") throw new MityError("must be a path (string): where the repository belongs", { file, field: `${field}.path` });
  for (const key of ["git", "ref"]) {
    if (fields[key] !== undefined && (typeof fields[key] !== "string" || fields[key] === "")) {
      throw new MityError(key === "git" ? "must be the repository's URL (string)" : "must be a branch name (string)", { file, field: `${field}.${key}` });
    }
  }
  if (fields.ref !== undefined && fields.git === undefined) throw new MityError('names a branch but no repository: add "git"', { file, field: `${field}.ref` });
  return { path: fields.path, git: fields.git as string | undefined, ref: fields.ref as string | undefined };
}

function includedFile(path: string, file: string, field: string): string {
  if (!existsSync(path)) throw new MityError(`points to ${path}, which does not exist`, { file, field });
  if (!statSync(path).isDirectory()) return path;
  const found = mityfileIn(path);
  if (!found) throw new MityError(`${path} holds no mityfile (${MITYFILE_NAMES.join(", ")})`, { file, field });
  return found;
}
