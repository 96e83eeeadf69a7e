/** How a mityfile's `import ... from "mity"` reaches the running mity. */
import { fileURLToPath, pathToFileURL } from "node:url";

/** The module a mityfile's `import "mity"` gets when the project has no mity of its own. */
export const SELF_ENTRY = fileURLToPath(new URL("../index.js", import.meta.url));
export const SELF_URL = pathToFileURL(SELF_ENTRY).href;

/** How the script form of a compiled mityfile names the running mity, served to it by `require`. */
export const SELF_SPECIFIER = "mity";

/** The running mity's own exports (lib/index.ts), handed down from the top to serve a mityfile's `import "mity"`. */
export type MityExports = Readonly<Record<string, unknown>>;
