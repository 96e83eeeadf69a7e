import type { TaskNode } from "../graph/graph.js";
import { checkTask, groupFingerprint, isTracked } from "./check.js";
import type { ScanContext } from "./scan.js";
import type { StateStore } from "./store.js";

export interface Prediction {
  runs: boolean;
  reason: string;
  /** Whether it would leave new results for its dependents: a task that runs, a group with such a dep. */
  changes: boolean;
}

/**
 * Whether each task of a plan would run, and the first reason, without running anything: what
 * `--dry-run` and `--why` say. A tracked task whose dep would run is said to run too.
 */
export async function predict(
  order: readonly TaskNode[],
  state: StateStore,
  options: { force: ReadonlySet<string> | "all"; params: ReadonlyMap<string, Readonly<Record<string, unknown>>> },
): Promise<Map<string, Prediction>> {
  const predictions = new Map<string, Prediction>();
  // The fingerprint each task would pass on, where it is known without running anything.
  const prints = new Map<string, string>();
  // Folders several tasks scan are listed once.
  const scanning: ScanContext = {};
  for (const task of order) {
    const prediction = await predictOne(task, state, options, predictions, prints, scanning);
    predictions.set(task.name, prediction);
    const depPrints = Object.fromEntries(task.deps.map((dep) => [dep, prints.get(dep) ?? ""]));
    if (task.run === undefined) prints.set(task.name, groupFingerprint(depPrints));
    else if (!prediction.runs) prints.set(task.name, state.get(task.name)?.fingerprint ?? "");
  }
  return predictions;
}

async function predictOne(
  task: TaskNode,
  state: StateStore,
  options: { force: ReadonlySet<string> | "all"; params: ReadonlyMap<string, Readonly<Record<string, unknown>>> },
  earlier: ReadonlyMap<string, Prediction>,
  prints: ReadonlyMap<string, string>,
  scanning: ScanContext,
): Promise<Prediction> {
  const rerun = task.deps.find((dep) => earlier.get(dep)?.changes);
  if (task.run === undefined) return { runs: true, reason: "it is a group: it only waits for its deps", changes: rerun !== undefined };
  const runs = (reason: string): Prediction => ({ runs: true, reason, changes: true });
  if (!isTracked(task)) return runs("it declares no inputs or outputs, so it always runs");
  if (options.force === "all" || options.force.has(task.name)) return runs("it is forced (-B / --force-all)");
  if (rerun) return runs(`dep "${rerun}" will run first`);
  const deps = Object.fromEntries(task.deps.map((dep) => [dep, prints.get(dep) ?? state.get(dep)?.fingerprint ?? ""]));
  const verdict = await checkTask(task, state.get(task.name), options.params.get(task.name) ?? {}, deps, scanning);
  const unmatched = [...verdict.inputs.empty.map((p) => `inputs pattern "${p}"`), ...verdict.outputs.empty.map((p) => `outputs pattern "${p}"`)];
  const note = unmatched.length ? ` (${unmatched.join(", ")} ${unmatched.length === 1 ? "matches" : "match"} no file)` : "";
  return { runs: !verdict.upToDate, reason: `${verdict.reason}${note}`, changes: !verdict.upToDate };
}
