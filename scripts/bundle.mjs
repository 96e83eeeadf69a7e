// Bundles the command line (dist/cli/start.js, as tsc compiled it, and the packages it uses) into
// dist/bundle/mity.cjs, and its loader (dist/cli.js) into dist/bundle/boot.cjs, which bin/mity.js
// requires. Run by "npm run build", after tsc.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
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
  // esbuild is a native binary: it stays a package, loaded only when a mityfile needs compiling.
  external: ["esbuild"],
  plugins: [plainRequire],
});

// What bin/mity.js requires: the loader that runs mity.cjs from V8's code cache.
await build({ ...shared, entryPoints: [join(dist, "cli.js")], outfile: join(dist, "bundle", "boot.cjs") });
