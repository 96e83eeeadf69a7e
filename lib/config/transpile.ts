/**
 * Compiling a mityfile: esbuild bundles it with its local modules into one ES module, and into a script
 * too when it needs nothing but Node's modules and mity (see script.ts). What is compiled is kept by
 * compiled-cache.ts, and an unchanged mityfile is never compiled again.
 */
import { readFileSync, statSync, existsSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MityError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";
import { findCompiled, writeCache, type CacheIndex, type CompiledForm } from "./compiled-cache.js";
import { SELF_ENTRY, SELF_SPECIFIER, SELF_URL } from "./self.js";

/** Marks esbuild's own resolution of a package, so the plugin does not catch it again. */
const RESOLVING = Symbol("mity-resolving");

/** A compiled mityfile: an ES module, and the same code as a script when it can be one (see script.ts). */
export interface Compiled {
  url: string;
  script: string | undefined;
  /** Whether it came from the cache rather than a build of this call. */
  cached: boolean;
  /** The files it was built from: the mityfile and the local modules it imports. */
  modules: readonly string[];
}

/**
 * Compiles a mityfile and the local modules it imports into one ES module (and a script, when it can
 * be one). An unchanged set of inputs (same sizes and times, or the same contents) reuses the
 * compiled files without loading the transpiler.
 */
export async function compileMityfile(file: string, rebuild = false): Promise<Compiled> {
  const index = rebuild ? undefined : findCompiled(file);
  if (index) return { url: pathToFileURL(index.output).href, script: index.script, cached: true, modules: index.inputs.map((input) => input.path) };
  const built = await build(file);
  // A rebuilt file may keep its name: a new URL, since Node keeps the failed import of the old one.
  return { url: `${pathToFileURL(built.output).href}${rebuild ? "?rebuilt" : ""}`, script: built.script, cached: false, modules: built.inputs.map((input) => input.path) };
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
