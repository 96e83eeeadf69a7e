import { readFileSync } from "node:fs";
import type { TaskNode } from "../graph/graph.js";
import { sha256 } from "../util/hash.js";
import { fileChange, type Scan } from "./files.js";
import type { PatternScan, ScanContext } from "./scan.js";
import type { TaskRecord } from "./store.js";

/** Whether a task takes part in up-to-date checks. */
// A service is never up to date: its dependents need it running. Its inputs only tell watch mode when to restart it.
export const isTracked = (task: TaskNode) => task.service === undefined && (task.inputs.length > 0 || task.outputs.length > 0);

const WORDS: Record<string, string> = {
  command: "its command changed",
  env: "its env changed",
  params: "its params changed",
  cwd: "its working directory changed",
  dotenv: "its dotenv files changed",
  patterns: "its inputs or outputs patterns changed",
};

/** Hashes of each part of a task's definition: what it runs, with what environment, where. */
export function definitionOf(task: TaskNode, params: Readonly<Record<string, unknown>>): Record<string, string> {
  const run = Array.isArray(task.run) ? task.run.join("\n") : typeof task.run === "function" ? task.run.toString() : "";
  const env = Object.entries(task.env).sort(([a], [b]) => a.localeCompare(b));
  const dotenv = task.dotenv.map((file) => {
    try {
      return sha256(readFileSync(file));
    } catch {
      return "missing";
    }
  });
  return {
    command: sha256(run),
    env: sha256(JSON.stringify(env)),
    params: sha256(JSON.stringify(params)),
    cwd: sha256(task.cwd),
    dotenv: sha256(dotenv.join(",")),
    patterns: sha256(JSON.stringify([task.inputs, task.outputs])),
  };
}

/** What a tracked task is made of now: its definition and the files its patterns match. */
export interface TaskScan {
  definition: Record<string, string>;
  inputs: PatternScan;
  outputs: PatternScan;
}

export interface Verdict extends TaskScan {
  upToDate: boolean;
  /** The first reason it must run, or why it need not. */
  reason: string;
}

/**
 * Scans a task; files whose size and time are those of `previous` keep their recorded hash unread.
 * `context` is shared by the scans of one run: its stop signal, and folders listed once for all tasks.
 */
export async function scanTask(
  task: TaskNode,
  params: Readonly<Record<string, unknown>>,
  previous: Pick<TaskRecord, "inputs" | "outputs"> | undefined,
  context: ScanContext = {},
): Promise<TaskScan> {
  // Loaded on first use: most runs track no files.
  const { scanPatterns } = await import("./scan.js");
  return {
    definition: definitionOf(task, params),
    inputs: await scanPatterns("inputs", task.cwd, task.inputs, previous?.inputs, context),
    outputs: await scanPatterns("outputs", task.cwd, task.outputs, previous?.outputs, context),
  };
}

/**
 * A tracked task is up to date when its definition, its deps' fingerprints, its inputs' contents and
 * its outputs' contents are all what they were after its last success.
 */
export async function checkTask(
  task: TaskNode,
  record: TaskRecord | undefined,
  params: Readonly<Record<string, unknown>>,
  deps: Readonly<Record<string, string>>,
  context: ScanContext = {},
): Promise<Verdict> {
  const scan = await scanTask(task, params, record, context);
  const { definition, inputs, outputs } = scan;
  const verdict = (upToDate: boolean, reason: string): Verdict => ({ upToDate, reason, ...scan });
  if (!record?.definition) return verdict(false, "it has not run successfully before");
  for (const [part, hash] of Object.entries(definition)) {
    if (record.definition[part] !== hash) return verdict(false, WORDS[part] ?? `its ${part} changed`);
  }
  for (const [dep, fingerprint] of Object.entries(deps)) {
    if (record.deps?.[dep] !== fingerprint) return verdict(false, `dep "${dep}" ran or changed since its last run`);
  }
  // What could not be scanned may have changed: never up to date on a partial view.
  const problem = inputs.problems[0] ?? outputs.problems[0];
  if (problem) return verdict(false, problem);
  const input = fileChange("input", record.inputs ?? {}, inputs.files, true);
  if (input) return verdict(false, input);
  const output = fileChange("output", record.outputs ?? {}, outputs.files, false);
  if (output) return verdict(false, output);
  if (task.outputs.length > 0 && Object.keys(outputs.files).length === 0) return verdict(false, "none of its outputs exist");
  return verdict(true, task.inputs.length > 0 ? "its inputs and outputs are unchanged" : "its outputs are unchanged");
}

/** The fingerprint a tracked task passes to its dependents after it succeeded. */
export function fingerprintOf(definition: Record<string, string>, deps: Readonly<Record<string, string>>, inputs: Scan, outputs: Scan): string {
  const files = (scan: Scan) => Object.entries(scan.files).map(([path, entry]) => `${path}:${entry.hash}`).sort();
  return sha256(JSON.stringify([definition, Object.entries(deps).sort(), files(inputs), files(outputs)]));
}

/** A group's fingerprint: its deps' fingerprints, so it changes exactly when one of them does. */
export const groupFingerprint = (deps: Readonly<Record<string, string>>): string => sha256(JSON.stringify(deps));
