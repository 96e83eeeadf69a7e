/**
 * The entry, run in its bundled form (`dist/bundle/boot.cjs`, which `bin/mity.js` requires): it starts
 * mity from one bundled file (`dist/bundle/mity.cjs`) through V8's code cache, so a start neither resolves
 * nor parses mity's modules and packages one by one. Both files are CommonJS: an ES module entry would
 * cost every start the ES module loader before mity runs (mity runs in pre-commit hooks).
 */
import module from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBundle } from "./cli/code-cache.js";

// Node 22.1+ keeps compiled ES modules on disk too: the mityfile and mity's API start faster.
(module as { enableCompileCache?: () => void }).enableCompileCache?.();

void startBundle(join(dirname(fileURLToPath(import.meta.url)), "mity.cjs"));
