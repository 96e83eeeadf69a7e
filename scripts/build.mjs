// npm run build: dist/ from scratch (no file of a deleted module is left to ship), compiled by tsc,
// its public types checked to stand alone (scripts/public-types.mjs), then the command line bundled
// (scripts/bundle.mjs).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkPublicTypes } from "./public-types.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(root, "dist"), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
checkPublicTypes(join(root, "dist"));
await import("./bundle.mjs");
