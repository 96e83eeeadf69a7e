import { existsSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes a file in one rename: a reader never sees half of it, and two writers never mix their bytes. */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** Gives a `.mity` folder (already made) a `.gitignore` of `*`, so a project needs no line for it in its own. */
export function ignoreItself(mityFolder: string): void {
  const ignore = join(mityFolder, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n");
}
