import { resolve } from "node:path";
import picomatch from "picomatch";

/**
 * One pattern of `inputs` or `outputs`, split into the folder it starts from (its literal leading
 * part, resolved against the task's cwd, so `../../` climbs as it says) and the glob below that folder.
 */
export interface Pattern {
  text: string;
  /** Absolute: the file itself for a literal path, else the folder the glob is matched under. */
  base: string;
  /** Matches a path relative to `base`; absent for a literal path, which is only looked up. */
  match?: (relative: string) => boolean;
  /** How many folders deep below `base` a match can lie (Infinity with `**`). */
  depth: number;
}

const unescape = (text: string) => text.replace(/\\(.)/g, "$1");

export function parsePattern(cwd: string, text: string): Pattern {
  const { base, glob, isGlob } = picomatch.scan(text);
  if (!isGlob) return { text, base: resolve(cwd, unescape(text)), depth: 0 };
  // Dot files count (`**/*` matches `.eslintrc.json`), and so do names with a newline: `.` must match it too.
  const compiled = picomatch.makeRe(glob, { dot: true });
  const regex = new RegExp(compiled.source, compiled.flags.includes("s") ? compiled.flags : `${compiled.flags}s`);
  const match = (relative: string) => regex.test(relative);
  return { text, base: resolve(cwd, unescape(base)), match, depth: glob.includes("**") ? Infinity : glob.split("/").length };
}

/** Whether an absolute path is one a pattern matches. */
export function matches(pattern: Pattern, path: string): boolean {
  if (!pattern.match) return path === pattern.base;
  const prefix = pattern.base.endsWith("/") ? pattern.base : `${pattern.base}/`;
  return path.startsWith(prefix) && pattern.match(path.slice(prefix.length));
}
