import { mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, existsSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MityError } from "../util/errors.js";
import { ignoreItself, writeAtomically } from "../util/files.js";
import { sha256 } from "../util/hash.js";
import { fingerprint } from "../util/v8-cache.js";
import { SELF_SPECIFIER } from "./script.js";

/** Bumped when the compiled form changes, so older cache entries are not reused. */
const CACHE_FORMAT = 7;

/** Marks esbuild's own resolution of a package, so the plugin does not catch it again. */
const RESOLVING = Symbol("mity-resolving");

/** The module `import ... from "mity"` gets when the project has no mity of its own. */
const SELF_ENTRY = fileURLToPath(new URL("../index.js", import.meta.url));
const SELF_URL = pathToFileURL(SELF_ENTRY).href;

interface CacheIndex {
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

/** A compiled mityfile: an ES module, and the same code as a script when it can be one (see script.ts). */
export interface Compiled {
  url: string;
  script: string | undefined;
  /** Whether it came from the cache rather than a build of this call. */
  cached: boolean;
}

/**
 * Compiles a mityfile and the local modules it imports into one ES module (and a script, when it can
 * be one). An unchanged set of inputs (same sizes and times, or the same contents) reuses the
 * compiled files without loading the transpiler.
 */
export async function compileMityfile(file: string, rebuild = false): Promise<Compiled> {
  const index = rebuild ? undefined : readCache(file, cacheDirFor(file)) ?? readCache(file, fallbackCacheDir(file));
  if (index) return { url: pathToFileURL(index.output).href, script: index.script, cached: true };
  const built = await build(file);
  // A rebuilt file may keep its name: a new URL, since Node keeps the failed import of the old one.
  return { url: `${pathToFileURL(built.output).href}${rebuild ? "?rebuilt" : ""}`, script: built.script, cached: false };
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

const LOADERS: Record<string, "ts" | "tsx" | "js" | "jsx"> = {
  ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx",
};

/** Whether `mity` can be imported from `dir` by Node's own lookup (a project-local install). */
function hasLocalMity(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, "node_modules", "mity", "package.json"))) return true;
    if (dirname(current) === current) return false;
  }
}

type Esbuild = typeof import("esbuild");

/** One esbuild run over a mityfile and its local modules; `script` builds the script form. */
function bundleMityfile(esbuild: Esbuild, file: string, format: "esm" | "cjs") {
  const dir = dirname(file);
  const script = format === "cjs";
  return esbuild.build({
    entryPoints: [file],
    absWorkingDir: dir,
    bundle: true,
    format,
    platform: "node",
    target: "node20",
    write: false,
    // A name for the outputs only (nothing is written by esbuild): the code and its map.
    outfile: join(dir, script ? "mityfile.cjs" : "mityfile.mjs"),
    metafile: true,
    // Beside the code, not inline: an inline map is scanned at every load (about 5 ms for a mityfile of
    // 10,000 tasks). Node reads the module's with --verbose; a failure's place is mapped through either
    // only when it is shown (util/error-location.ts), as Node maps no script's stack traces.
    sourcemap: "external",
    // Stack traces (with --verbose) then name the mityfile's own files, not the cached copy.
    sourceRoot: `${pathToFileURL(dir).href}/`,
    logLevel: "silent",
    plugins: [
      {
        name: "mity",
        setup(b) {
          // Packages stay outside the bundle, imported by absolute path, so the compiled file works from
          // whatever folder it is cached in. The running mity serves `import "mity"` when the project has
          // no copy of its own.
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === RESOLVING || args.path.startsWith("node:") || isBuiltin(args.path)) return undefined;
            if (/^mity(\/|$)/.test(args.path) && !hasLocalMity(args.resolveDir)) {
              return { path: script ? SELF_SPECIFIER : SELF_URL, external: true };
            }
            const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: RESOLVING });
            if (found.errors.length > 0) return undefined;
            if (script && found.path === SELF_ENTRY) return { path: SELF_SPECIFIER, external: true };
            return { path: pathToFileURL(found.path).href, external: true };
          });
          // Each bundled module keeps its own import.meta.url, dirname and filename.
          b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
            const source = readFileSync(args.path, "utf8");
            const contents = source.includes("import.meta") ? withOwnImportMeta(source, args.path) : source;
            return { contents, loader: LOADERS[extname(args.path)] ?? "js", resolveDir: dirname(args.path) };
          });
        },
      },
    ],
  });
}

type BuildResult = Awaited<ReturnType<typeof bundleMityfile>>;

const codeOf = (result: BuildResult) => result.outputFiles!.find((output) => !output.path.endsWith(".map"))!.text;
const mapOf = (result: BuildResult) => result.outputFiles!.find((output) => output.path.endsWith(".map"))?.text;

/**
 * A module that imports nothing but Node's own modules and the running mity, with static imports
 * only, can run as a script (see script.ts). Anything else (a package, `import()`, `require`, top-level
 * await, `import.meta.resolve`) keeps the module form alone, so both forms always behave the same.
 */
function scriptOnly(module: BuildResult): boolean {
  return Object.values(module.metafile!.outputs).every((output) =>
    output.imports.every((imported) => imported.external && imported.kind === "import-statement" && (isBuiltin(imported.path) || imported.path === SELF_URL)),
  );
}

async function build(file: string): Promise<CacheIndex> {
  // A CommonJS package, loaded only when a mityfile needs compiling.
  const esbuild = createRequire(import.meta.url)("esbuild") as Esbuild;
  const dir = dirname(file);
  // Both forms at once: esbuild builds them side by side, and the script form is dropped when the
  // module turns out to need more than Node's modules and mity.
  const script = scriptForm(esbuild, file);
  let result;
  try {
    result = await bundleMityfile(esbuild, file, "esm");
  } catch (error) {
    throw toMityError(file, error);
  }
  // A task declared twice in one object literal would silently lose the first: refuse it.
  const duplicate = result.warnings.find((warning) => warning.id === "duplicate-object-key");
  if (duplicate) throw toMityError(file, { errors: [duplicate] });
  const code = codeOf(result);
  const map = mapOf(result);
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const path = resolve(dir, input);
    const stat = statSync(path);
    return { path, size: stat.size, mtimeMs: stat.mtimeMs, hash: sha256(readFileSync(path)) };
  });
  return writeCache(file, { code, map, script: scriptOnly(result) ? await script : undefined }, inputs);
}

/** The script form and its map, or undefined when esbuild says it would not behave as the module does (top-level await, say). */
async function scriptForm(esbuild: Esbuild, file: string): Promise<CompiledForm | undefined> {
  try {
    const result = await bundleMityfile(esbuild, file, "cjs");
    return result.warnings.length === 0 ? { code: codeOf(result), map: mapOf(result) } : undefined;
  } catch {
    return undefined;
  }
}

function withOwnImportMeta(source: string, path: string): string {
  const values: Record<string, string> = { url: pathToFileURL(path).href, dirname: dirname(path), filename: path };
  return source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) => JSON.stringify(values[key]));
}

interface CompiledForm {
  code: string;
  map: string | undefined;
}

function writeCache(file: string, compiled: CompiledForm & { script: CompiledForm | undefined }, inputs: CacheIndex["inputs"]): CacheIndex {
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

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number; lineText: string } | null;
}

function toMityError(file: string, error: unknown): MityError {
  const messages = (error as { errors?: EsbuildMessage[] }).errors;
  const first = messages?.[0];
  if (!first) return new MityError(`cannot compile: ${String(error)}`, { file }, { cause: error });
  const where = first.location ? `${resolve(dirname(file), first.location.file)}:${first.location.line}:${first.location.column + 1}` : file;
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more)` : "";
  const excerpt = first.location?.lineText ? `\n    ${first.location.lineText.trim()}` : "";
  return new MityError(`${where}: ${first.text}${more}${excerpt}`, {}, { cause: error });
}
