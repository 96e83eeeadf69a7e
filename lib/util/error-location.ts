/**
 * Where in a mityfile an error was made. A mityfile runs as a compiled copy in `.mity/cache/`, so its
 * stack frames name that copy: they are mapped back to the mityfile's own lines through the source map
 * written beside the copy (config/compiled-cache.ts). Maps are read only here, when a failure is shown: a
 * run that fails nothing reads none.
 */
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** A place in a source file; line and column count from 1. */
export interface SourcePlace {
  file: string;
  line: number;
  column: number;
}

// `    at name (file:1:2)` or `    at file:1:2`.
const FRAME = /^(\s*at (?:.*? \()?)(.+?):(\d+):(\d+)(\)?)$/;
// The compiled copies compiled-cache.ts writes: `<mityfile>.<16 hex>.mjs` or `.cjs`.
const COMPILED = /\.[0-9a-f]{16}\.[cm]js$/;

const maps = new Map<string, { map: SourceMap; root: string } | undefined>();

function mapOf(file: string): { map: SourceMap; root: string } | undefined {
  if (!maps.has(file)) {
    let found: { map: SourceMap; root: string } | undefined;
    try {
      const payload = JSON.parse(readFileSync(`${file}.map`, "utf8")) as { sourceRoot?: string };
      found = { map: new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]), root: payload.sourceRoot ?? "" };
    } catch {
      // No map beside it (an older cache, a file that is no compiled mityfile): the frame stays as it is.
    }
    maps.set(file, found);
  }
  return maps.get(file);
}

const pathOf = (file: string): string => (file.startsWith("file://") ? fileURLToPath(file) : file);

/** The place a frame's place stands for: in the mityfile's own source when it is in a compiled copy. */
export function originalPlace(place: SourcePlace): SourcePlace {
  const file = pathOf(place.file);
  const found = COMPILED.test(file) ? mapOf(file) : undefined;
  if (!found) return { ...place, file };
  const entry = found.map.findEntry(place.line - 1, place.column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined) return { ...place, file };
  const source = found.root && !isAbsolute(entry.originalSource) ? new URL(entry.originalSource, found.root).href : entry.originalSource;
  return { file: pathOf(source), line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}

/**
 * A stack with every frame in a compiled mityfile pointing at the mityfile's own line instead. Given
 * the project's folder, the frames after its last one there (mity's own, Node's) are left out.
 */
export function mapStack(stack: string, dir?: string): string {
  const lines = stack.split("\n").map((line) => {
    const match = FRAME.exec(line);
    if (!match || !COMPILED.test(pathOf(match[2]!))) return line;
    const place = originalPlace({ file: match[2]!, line: Number(match[3]), column: Number(match[4]) });
    return `${match[1]}${place.file}:${place.line}:${place.column}${match[5]}`;
  });
  if (dir === undefined) return lines.join("\n");
  const last = lines.findLastIndex((line) => {
    const match = FRAME.exec(line);
    return match !== null && within(dir, pathOf(match[2]!));
  });
  return (last === -1 ? lines : lines.slice(0, last + 1)).join("\n");
}

/**
 * The first place of the error's stack in the project's own code under `dir` (not in its packages,
 * nor in mity): where a run function threw, or where it called what failed.
 */
export function errorPlace(error: unknown, dir: string): SourcePlace | undefined {
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : undefined;
  if (!stack) return undefined;
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const place = originalPlace({ file: match[2]!, line: Number(match[3]), column: Number(match[4]) });
    if (within(dir, place.file)) return place;
  }
  return undefined;
}

function within(dir: string, file: string): boolean {
  // `node:internal/...` and the like are no files.
  if (!isAbsolute(file)) return false;
  const path = relative(dir, file);
  if (path === "" || path.startsWith("..") || isAbsolute(path)) return false;
  const first = path.split(sep)[0];
  return first !== "node_modules" && first !== ".mity";
}

/** `mityfile.ts:12:5`: the place, named from `dir` when it is inside it. */
export function formatPlace(place: SourcePlace, dir: string): string {
  const path = relative(dir, place.file);
  return `${path.startsWith("..") || isAbsolute(path) ? place.file : path}:${place.line}:${place.column}`;
}

/** An error's message, with where under `dir` it was made when that is known: `boom (at mityfile.ts:4:11)`. */
export function describeError(error: unknown, dir: string): string {
  if (!(error instanceof Error)) return String(error);
  const place = errorPlace(error, dir);
  return place ? `${error.message} (at ${formatPlace(place, dir)})` : error.message;
}
