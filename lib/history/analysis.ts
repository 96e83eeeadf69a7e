import type { TaskRecord } from "./run-record.js";

/** What the report draws beyond the record: each task's wait, the critical path and the graph's layers. */
export interface RunShape {
  /** Milliseconds between its deps being done (or the run starting) and its own start. */
  wait: Map<string, number>;
  /** The chain of tasks that decided when the run ended, last first. */
  critical: Set<string>;
  /** Longest path of deps below each task (a task with no deps is layer 0). */
  layer: Map<string, number>;
}

export function shapeOf(tasks: readonly TaskRecord[]): RunShape {
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const ready = (task: TaskRecord) => Math.max(0, ...task.deps.map((dep) => byName.get(dep)?.end ?? 0));
  const wait = new Map<string, number>();
  for (const task of tasks) if (task.start !== undefined) wait.set(task.name, Math.max(0, task.start - ready(task)));
  return { wait, critical: criticalPath(tasks, byName), layer: layers(tasks, byName) };
}

/** From the task that ended last, back through the dep each one waited for longest (the one that ended last). */
function criticalPath(tasks: readonly TaskRecord[], byName: ReadonlyMap<string, TaskRecord>): Set<string> {
  const path = new Set<string>();
  let current = tasks.reduce<TaskRecord | undefined>((last, task) => (task.end !== undefined && (last === undefined || task.end > last.end!) ? task : last), undefined);
  while (current && !path.has(current.name)) {
    path.add(current.name);
    current = current.deps
      .map((dep) => byName.get(dep))
      .reduce<TaskRecord | undefined>((last, dep) => (dep?.end !== undefined && (last === undefined || dep.end > last.end!) ? dep : last), undefined);
  }
  return path;
}

/** Layers without recursion: a chain of thousands of tasks must not overflow the stack. */
function layers(tasks: readonly TaskRecord[], byName: ReadonlyMap<string, TaskRecord>): Map<string, number> {
  const layer = new Map<string, number>();
  for (const root of tasks) {
    const stack: TaskRecord[] = [root];
    while (stack.length > 0) {
      const task = stack[stack.length - 1]!;
      if (layer.has(task.name)) {
        stack.pop();
        continue;
      }
      const pending = task.deps.map((dep) => byName.get(dep)).filter((dep): dep is TaskRecord => dep !== undefined && !layer.has(dep.name));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      layer.set(task.name, Math.max(-1, ...task.deps.map((dep) => layer.get(dep) ?? -1)) + 1);
    }
  }
  return layer;
}
