// Bundles the command line (dist/cli/start.js, as tsc compiled it, and the packages it uses) into
// dist/bundle/mity.cjs, which lib/cli.ts runs from V8's code cache. Run by "npm run build", after tsc.
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

await build({
  entryPoints: [join(dist, "cli", "start.js")],
  outfile: join(dist, "bundle", "mity.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // esbuild is a native binary: it stays a package, loaded only when a mityfile needs compiling.
  external: ["esbuild"],
  // The bundle sits one folder below dist/, like the modules it is made of, so their
  // new URL("../index.js", import.meta.url) still finds dist/index.js.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [plainRequire],
  logLevel: "warning",
});
