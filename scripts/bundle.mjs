// Bundles the command line (dist/cli/start.js, as tsc compiled it, and the packages it uses) into
// dist/bundle/mity.cjs, and its loader (dist/cli.js) into dist/bundle/boot.cjs, which bin/mity.js
// requires. Run by "npm run build", after tsc.
import { build } from "esbuild";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * mity's modules load CommonJS packages with createRequire(import.meta.url)(name), which is quicker
 * than import() when not bundled; esbuild bundles only plain require(name) calls.
 */
const plainRequire = {
  name: "plain-require",
  setup(build) {
    build.onLoad({ filter: new RegExp(`^${escaped(dist + sep)}.*\\.js$`) }, async (args) => ({
      contents: (await readFile(args.path, "utf8")).replaceAll("createRequire(import.meta.url)(", "require("),
      loader: "js",
    }));
  },
};

/**
 * cosmiconfig reads every package.json it passes with parse-json, for its error messages, which brings
 * Babel's code frame and its colours into the start of any run in a Node project. JSON.parse, with the
 * file named in its message, is all mity needs of it.
 */
const plainJson = {
  name: "plain-json",
  setup(build) {
    build.onResolve({ filter: /^parse-json$/ }, () => ({ path: "parse-json", namespace: "plain-json" }));
    build.onLoad({ filter: /.*/, namespace: "plain-json" }, () => ({
      contents: `module.exports = function parseJson(text, reviver, file) {
  if (typeof reviver === "string") [reviver, file] = [undefined, reviver];
  try {
    return JSON.parse(text, reviver);
  } catch (error) {
    if (file) error.message = file + ": " + error.message;
    throw error;
  }
};`,
      loader: "js",
    }));
  },
};

/** A stand-in for `require(name)` that requires it at the first use of one of its exports. */
const lazyRequire = (name) =>
  `new Proxy({}, { get: (_, key) => key === "__esModule" ? false : key === "default" ? require("${name}") : require("${name}")[key] })`;

/**
 * cosmiconfig requires crypto (for its TypeScript loader) and fs/promises (for its asynchronous search)
 * as it loads: 2 ms or more of every start, for what mity never uses (it searches synchronously and
 * compiles TypeScript itself). Each is required at its first use instead.
 */
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]cosmiconfig[\\/]dist[\\/].*\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, "utf8"))
        .replaceAll('require("fs/promises")', lazyRequire("fs/promises"))
        .replaceAll('require("crypto")', lazyRequire("crypto")),
      loader: "js",
    }));
  },
};

const shared = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // Both files sit one folder below dist/, like the modules they are made of, so their
  // new URL("../index.js", import.meta.url) still finds dist/index.js.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
};

// The command line and the packages it uses, as one function expression of CommonJS's wrapper
// parameters: boot.cjs compiles the file's text as it is, with no wrapped copy (see code-cache.ts).
await build({
  ...shared,
  banner: { js: `(function (exports, require, module, __filename, __dirname) {${shared.banner.js}` },
  footer: { js: "})" },
  entryPoints: [join(dist, "cli", "start.js")],
  outfile: join(dist, "bundle", "mity.cjs"),
  // esbuild is a native binary: it stays a package, loaded only when a mityfile needs compiling. The
  // queue's packages stay packages too: only runs with pools load them, and the bundle stays small.
  external: ["esbuild", "typescript", "chokidar", "bullmq", "ioredis"],
  // Without comments and indentation the file is a third smaller: reading it is a large part of every
  // start (about 10 ms a megabyte here). Names are kept, so stack traces still name mity's functions.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [plainRequire, plainJson, lazyBuiltins],
});

/**
 * esbuild writes strings as ASCII but keeps some comments as they are, and a few in the packages are
 * not ASCII. One such character makes Node read the whole megabyte as a two-byte string, 10 ms or more
 * of every start: each is written as an escape (harmless in a comment, and the same in any string).
 */
async function keepAscii(file) {
  const text = await readFile(file, "utf8");
  const ascii = text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (ascii !== text) await writeFile(file, ascii);
}
await keepAscii(join(dist, "bundle", "mity.cjs"));

// What bin/mity.js requires: the loader that runs mity.cjs from V8's code cache.
await build({ ...shared, entryPoints: [join(dist, "cli.js")], outfile: join(dist, "bundle", "boot.cjs") });
