import type { TaskNode } from "../graph/graph.js";

/**
 * The changed tasks and everything in the selection that depends on them, at any distance: what a
 * change makes run again. Tasks outside it are left alone.
 */
export function withDependents(selection: readonly TaskNode[], changed: ReadonlySet<string>): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const task of selection) {
    for (const dep of task.deps) {
      let list = dependents.get(dep);
      if (!list) dependents.set(dep, (list = []));
      list.push(task.name);
    }
  }
  const affected = new Set<string>();
  const pending = [...changed];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (affected.has(name)) continue;
    affected.add(name);
    for (const dependent of dependents.get(name) ?? []) pending.push(dependent);
  }
  return affected;
}
