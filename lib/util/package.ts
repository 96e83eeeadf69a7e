import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let packageDir: string | undefined;
let version: string | undefined;

/** mity's own package folder: the nearest one above this module that holds package.json (the code may be bundled a level deeper). */
export function mityPackageDir(): string {
  if (packageDir === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
    packageDir = realpathSync(dir);
  }
  return packageDir;
}

/** mity's version, as its package.json gives it (read once per process). */
export function mityVersion(): string {
  return (version ??= (JSON.parse(readFileSync(join(mityPackageDir(), "package.json"), "utf8")) as { version: string }).version);
}
