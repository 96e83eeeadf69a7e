/**
 * The entry `bin/mity.js` imports. It starts mity from one bundled file (`dist/bundle/mity.cjs`, made by
 * `npm run build`) through V8's code cache, so a start neither resolves nor parses mity's modules and
 * packages one by one: mity runs in pre-commit hooks, where start-up is most of the time.
 */
import module from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBundle } from "./cli/code-cache.js";

// Node 22.1+ keeps compiled ES modules on disk too: the mityfile and mity's API start faster.
(module as { enableCompileCache?: () => void }).enableCompileCache?.();

const bundle = join(dirname(fileURLToPath(import.meta.url)), "bundle", "mity.cjs");
// Without the bundle (lib/ compiled but not bundled), the same start runs from the modules themselves.
if (existsSync(bundle)) await startBundle(bundle);
else await (await import("./cli/start.js")).start();
