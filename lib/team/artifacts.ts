import { posix, relative, sep } from "node:path";
import type { TaskNode } from "../graph/graph.js";
import type { YamlValue } from "./yaml.js";

/** Long enough to re-run a failed job after a weekend, short enough not to pile up build output. */
export const RETENTION_DAYS = 3;

/** A task's `outputs` as one artifact of its job: every job after it starts on a fresh runner. */
export interface Artifact {
  /** The job id: unique in the workflow, and free of the characters artifact names refuse. */
  readonly name: string;
  /** The patterns, relative to the repository's top (where checkout puts the files). */
  readonly paths: readonly string[];
  /** The folder the artifact's files are relative to, from the repository's top (`.` for the top). */
  readonly root: string;
}

/**
 * A task's `outputs` from the repository's top, and those that climb out of it. `top` is the root
 * mityfile's folder relative to the repository's top (`""` when it is the top): upload and download
 * steps ignore `working-directory`.
 */
export function outputPaths(task: TaskNode, graphRoot: string, top: string): { paths: string[]; outside: string[] } {
  const cwd = posix.join(top, relative(graphRoot, task.cwd).split(sep).join("/"));
  const paths: string[] = [];
  const outside: string[] = [];
  for (const pattern of task.outputs) {
    const negated = pattern.startsWith("!");
    const path = posix.normalize(posix.join(cwd, negated ? pattern.slice(1) : pattern));
    // No step can upload what lies above the checkout.
    if (path === ".." || path.startsWith("../")) outside.push(pattern);
    else paths.push(negated ? `!${path}` : path);
  }
  return { paths, outside };
}

/** The artifact of a job whose task has outputs inside the repository. */
export function artifactOf(name: string, { paths }: { paths: readonly string[] }): Artifact | undefined {
  const wanted = paths.filter((path) => !path.startsWith("!"));
  return wanted.length === 0 ? undefined : { name, paths, root: artifactRoot(wanted) };
}

/** A path's segments up to the first one holding a wildcard: the folder upload-artifact searches. */
function searchPath(pattern: string): { path: string; literal: boolean } {
  const segments = pattern.split("/");
  const wild = segments.findIndex((segment) => /[*?[]/.test(segment));
  return wild < 0 ? { path: pattern, literal: true } : { path: segments.slice(0, wild).join("/"), literal: false };
}

/**
 * Where upload-artifact roots the files of these patterns, so the download puts them back in place: the
 * one search folder, a lone file's folder, or the deepest folder common to several search paths.
 */
export function artifactRoot(patterns: readonly string[]): string {
  const unique = [...new Map(patterns.map(searchPath).map((one) => [one.path, one])).values()];
  const within = (inner: string, outer: string) => outer === "" || inner.startsWith(`${outer}/`);
  // upload-artifact drops a search path that lies inside another.
  const kept = unique.filter((one) => !unique.some((other) => other !== one && within(one.path, other.path)));
  if (kept.length === 1) {
    const [only] = kept;
    return (only!.literal ? posix.dirname(only!.path) : only!.path) || ".";
  }
  const split = kept.map((one) => one.path.split("/"));
  const common: string[] = [];
  for (let i = 0; split.every((segments) => i < segments.length && segments[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  return common.join("/") || ".";
}

/** The step after the task's own: its outputs kept for the jobs that need them. */
export function uploadStep(task: TaskNode, artifact: Artifact): YamlValue {
  const upload: Record<string, YamlValue> = { name: artifact.name, path: artifact.paths.join("\n"), "if-no-files-found": "error", "retention-days": RETENTION_DAYS };
  // upload-artifact leaves hidden files out; a pattern that names one asks for it (never `.git` by a bare `**`).
  if (artifact.paths.some((path) => !path.startsWith("!") && namesHidden(path))) upload["include-hidden-files"] = true;
  return { name: `upload the outputs of ${task.name}`, uses: "actions/upload-artifact@v4", with: upload };
}

/** A path with a segment such as `.terraform` or `.env.local`. */
const namesHidden = (path: string) => path.split("/").some((segment) => segment.startsWith(".") && segment !== "." && segment !== "..");

/** A step before the task's own: a dep's outputs, put back where that dep wrote them. */
export function downloadStep(dep: TaskNode, artifact: Artifact): YamlValue {
  return { name: `download the outputs of ${dep.name}`, uses: "actions/download-artifact@v4", with: { name: artifact.name, path: artifact.root } };
}
