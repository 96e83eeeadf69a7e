import { mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, existsSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MityError } from "../util/errors.js";
import { ignoreItself, writeAtomically } from "../util/files.js";
import { sha256 } from "../util/hash.js";

/** Bumped when the compiled form changes, so older cache entries are not reused. */
const CACHE_FORMAT = 4;

/** Marks esbuild's own resolution of a package, so the plugin does not catch it again. */
const RESOLVING = Symbol("mity-resolving");

/** The module `import ... from "mity"` gets when the project has no mity of its own. */
const SELF_ENTRY = fileURLToPath(new URL("../index.js", import.meta.url));

interface CacheIndex {
  format: number;
  self: string;
  output: string;
  inputs: { path: string; size: number; mtimeMs: number; hash: string }[];
}

/** Where compiled mityfiles are kept: beside the mityfile, so bare imports resolve from the same place. */
function cacheDirFor(file: string): string {
  return join(dirname(file), ".mity", "cache");
}

/**
 * Compiles a mityfile and the local modules it imports into one ES module and returns its URL.
 * An unchanged set of inputs (same sizes and times, or the same contents) reuses the compiled file
 * without loading the transpiler.
 */
export async function compileMityfile(file: string): Promise<string> {
  const cached = readCache(file, cacheDirFor(file)) ?? readCache(file, fallbackCacheDir(file));
  if (cached) return pathToFileURL(cached).href;
  return pathToFileURL(await build(file)).href;
}

/** Where the compiled form goes when the mityfile's folder cannot be written. */
const fallbackCacheDir = (file: string) => join(tmpdir(), `mity-cache-${sha256(dirname(file)).slice(0, 16)}`);

function indexPath(file: string, dir = cacheDirFor(file)): string {
  return join(dir, `${basename(file)}.json`);
}

function readCache(file: string, dir: string): string | undefined {
  let index: CacheIndex;
  try {
    index = JSON.parse(readFileSync(indexPath(file, dir), "utf8")) as CacheIndex;
  } catch {
    return undefined;
  }
  if (index.format !== CACHE_FORMAT || index.self !== SELF_ENTRY || !existsSync(index.output)) return undefined;
  for (const input of index.inputs) {
    try {
      const stat = statSync(input.path);
      if (stat.size === input.size && stat.mtimeMs === input.mtimeMs) continue;
      if (stat.size !== input.size || sha256(readFileSync(input.path)) !== input.hash) return undefined;
    } catch {
      return undefined;
    }
  }
  return index.output;
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

async function build(file: string): Promise<string> {
  // A CommonJS package, loaded only when a mityfile needs compiling.
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const dir = dirname(file);
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: dir,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      write: false,
      // A name for the outputs only (nothing is written by esbuild): the code and its map.
      outfile: join(dir, "mityfile.mjs"),
      metafile: true,
      // Beside the code, not inline: Node reads it only with --verbose, while an inline map is scanned
      // at every load (about 5 ms for a mityfile of 10,000 tasks).
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
              if (/^mity(\/|$)/.test(args.path) && !hasLocalMity(args.resolveDir)) return { path: pathToFileURL(SELF_ENTRY).href, external: true };
              const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: RESOLVING });
              return found.errors.length > 0 ? undefined : { path: pathToFileURL(found.path).href, external: true };
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
  } catch (error) {
    throw toMityError(file, error);
  }
  // A task declared twice in one object literal would silently lose the first: refuse it.
  const duplicate = result.warnings.find((warning) => warning.id === "duplicate-object-key");
  if (duplicate) throw toMityError(file, { errors: [duplicate] });
  const code = result.outputFiles.find((output) => !output.path.endsWith(".map"))!.text;
  const map = result.outputFiles.find((output) => output.path.endsWith(".map"))?.text;
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const path = resolve(dir, input);
    const stat = statSync(path);
    return { path, size: stat.size, mtimeMs: stat.mtimeMs, hash: sha256(readFileSync(path)) };
  });
  return writeCache(file, code, map, inputs);
}

function withOwnImportMeta(source: string, path: string): string {
  const values: Record<string, string> = { url: pathToFileURL(path).href, dirname: dirname(path), filename: path };
  return source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) => JSON.stringify(values[key]));
}

function writeCache(file: string, code: string, map: string | undefined, inputs: CacheIndex["inputs"]): string {
  for (const dir of [cacheDirFor(file), fallbackCacheDir(file)]) {
    try {
      mkdirSync(dir, { recursive: true });
      if (basename(dirname(dir)) === ".mity") ignoreItself(dirname(dir));
      const output = join(dir, `${basename(file)}.${sha256(code).slice(0, 16)}.mjs`);
      if (map !== undefined) writeAtomically(`${output}.map`, map);
      writeAtomically(output, map === undefined ? code : `${code}//# sourceMappingURL=${basename(output)}.map\n`);
      const index: CacheIndex = { format: CACHE_FORMAT, self: SELF_ENTRY, output, inputs };
      writeAtomically(indexPath(file, dir), JSON.stringify(index));
      removeStale(dir, basename(file), output);
      return output;
    } catch {
      // A read-only project: try the next place.
    }
  }
  throw new MityError("cannot write the compiled mityfile anywhere (the project and the temp folder are read-only)", { file });
}

function removeStale(dir: string, base: string, keep: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.startsWith(`${base}.`) && (name.endsWith(".mjs") || name.endsWith(".mjs.map")) && path !== keep && path !== `${keep}.map`) {
      try {
        unlinkSync(path);
      } catch {
        // Another run may have removed it first.
      }
    }
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
