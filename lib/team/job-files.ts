import type { Graph, TaskNode } from "../graph/graph.js";
import { artifactOf, downloadStep, outputPaths, uploadStep, type Artifact } from "./artifacts.js";
import type { YamlValue } from "./yaml.js";

/** What a job hands on and gets: its steps around the task's own, and what does not reach the next job. */
export interface JobFiles {
  /** Downloads of the outputs of every task the job does not rerun (it runs with `--no-deps`). */
  before(task: TaskNode): YamlValue[];
  /** The upload of the task's own outputs. */
  after(task: TaskNode): YamlValue[];
  notes(task: TaskNode): string[];
}

/**
 * Each job starts on a fresh runner: what the jobs before it wrote reaches it only as artifacts. `top` is
 * the root mityfile's folder relative to the repository's top (`""` at the top).
 */
export function jobFiles(graph: Graph, jobs: readonly TaskNode[], ids: ReadonlyMap<string, string>, top: string): JobFiles {
  const artifacts = new Map<string, Artifact>();
  const outside = new Map<string, string[]>();
  for (const task of jobs) {
    const paths = outputPaths(task, graph.root, top);
    const artifact = artifactOf(ids.get(task.name)!, paths);
    if (artifact) artifacts.set(task.name, artifact);
    outside.set(task.name, paths.outside);
  }
  const order = new Map(jobs.map((task, index) => [task.name, index]));
  const before = jobsBefore(graph);
  const unreached = new Map<string, string[]>();
  for (const task of jobs) for (const dep of before(task.name)) if (graph.tasks.get(dep)!.outputs.length === 0) unreached.set(dep, [...(unreached.get(dep) ?? []), task.name]);
  return {
    before: (task) =>
      [...before(task.name)]
        .sort((a, b) => order.get(a)! - order.get(b)!)
        .flatMap((dep) => (artifacts.has(dep) ? [downloadStep(graph.tasks.get(dep)!, artifacts.get(dep)!)] : [])),
    after: (task) => (artifacts.has(task.name) ? [uploadStep(task, artifacts.get(task.name)!)] : []),
    notes: (task) => {
      const notes = outside.get(task.name)!.map((pattern) => `output "${pattern}" lies outside the repository: no job can hand it on`);
      const dependents = unreached.get(task.name);
      const which = dependents?.length === 1 ? "the job" : "the jobs";
      if (dependents) notes.push(`declares no outputs, so the files it writes do not reach ${which} of ${dependents.join(", ")} (each job starts on a fresh runner): declare them in "outputs" to hand them on`);
      return notes;
    },
  };
}

/** Every task with work that a task depends on, through groups and deps of deps: none of them reruns in its job. */
function jobsBefore(graph: Graph): (name: string) => ReadonlySet<string> {
  const known = new Map<string, Set<string>>();
  const of = (name: string): Set<string> => {
    let found = known.get(name);
    if (found) return found;
    found = new Set();
    for (const dep of graph.tasks.get(name)!.deps) {
      if (graph.tasks.get(dep)!.run !== undefined) found.add(dep);
      for (const further of of(dep)) found.add(further);
    }
    known.set(name, found);
    return found;
  };
  return of;
}
