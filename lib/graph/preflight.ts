import { existsSync } from "node:fs";
import { relative } from "node:path";
import { MityError } from "../util/errors.js";
import type { Graph, TaskNode } from "./graph.js";
import { selectTasks } from "./plan.js";

export interface PreflightOptions {
  /** `--yes`: every question is answered. */
  yes: boolean;
  /** Whether a question can be asked at all (there is a terminal). */
  canAsk: boolean;
  /** A reason a task is passed over before it runs (a hook's task with no staged input). */
  skip?: ((task: TaskNode) => string | undefined) | undefined;
}

/**
 * What would stop a selected task only after its deps had run (a `terraform init` done for nothing):
 * a `confirm` nobody can answer, a dotenv file that is missing and that no dep writes. Found before
 * anything runs, as bad params are; one error per problem, each naming the file, task and field.
 */
export async function preflight(graph: Graph, names: readonly string[], options: PreflightOptions): Promise<MityError[]> {
  const problems: MityError[] = [];
  for (const task of selectTasks(graph, names)) {
    if (task.confirm === undefined && task.dotenv.length === 0) continue;
    if (options.skip?.(task) !== undefined) continue;
    const place = { file: task.file, task: task.name };
    if (task.confirm !== undefined && !options.yes && !options.canAsk) {
      problems.push(new MityError(`asks "${task.confirm}" but there is no terminal to answer it: run with --yes to answer yes`, { ...place, field: "confirm" }));
    }
    for (const path of task.dotenv) {
      if (task.optionalDotenv?.includes(path) || existsSync(path) || (await writtenByDep(graph, task, path))) continue;
      const hint = `if a dep writes it, name it in that dep's outputs; if it may be missing, write { path: ${JSON.stringify(relative(task.cwd, path))}, optional: true }`;
      problems.push(new MityError(`${path} does not exist (${hint})`, { ...place, field: "dotenv" }));
    }
  }
  return problems;
}

/** Whether one of the task's deps, direct or not, names `path` in its `outputs`. */
async function writtenByDep(graph: Graph, task: TaskNode, path: string): Promise<boolean> {
  const writers = selectTasks(graph, task.deps).filter((dep) => dep.outputs.length > 0);
  if (writers.length === 0) return false;
  // Loaded only here: most runs have no missing dotenv file to explain.
  const { default: picomatch } = await import("picomatch");
  return writers.some((dep) => {
    const positive = dep.outputs.filter((pattern) => !pattern.startsWith("!"));
    const negative = dep.outputs.filter((pattern) => pattern.startsWith("!")).map((pattern) => pattern.slice(1));
    return picomatch(positive, { dot: true, ignore: negative })(relative(dep.cwd, path));
  });
}
