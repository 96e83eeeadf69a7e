import toposort from "toposort";
import { MityError } from "../util/errors.js";
import type { Graph, TaskNode } from "./graph.js";
import { resolveDep } from "./names.js";
import { didYouMean } from "./suggest.js";

/** The full names the command line asked for; an unknown one fails with the closest names. */
export function resolveRequested(graph: Graph, names: readonly string[]): string[] {
  return names.map((name) => {
    const found = resolveDep(name, "", (candidate) => graph.tasks.has(candidate));
    if (found === undefined) {
      throw new MityError(`task "${name}" does not exist in ${graph.file}.${didYouMean(name, graph.tasks.keys())} Run "mity --list" to see the tasks.`);
    }
    return found;
  });
}

// A run asks for its selection up to three times (the reporter, the params, the scheduler): each graph
// keeps the ones it has found. A graph is frozen, so a selection never goes stale.
const selections = new WeakMap<Graph, Map<string, readonly TaskNode[]>>();

/** The requested tasks and everything they depend on, in declaration order. */
export function selectTasks(graph: Graph, names: readonly string[]): readonly TaskNode[] {
  let known = selections.get(graph);
  if (!known) selections.set(graph, (known = new Map()));
  const key = names.join("\0");
  let selected = known.get(key);
  if (!selected) known.set(key, (selected = Object.freeze(findSelected(graph, names))));
  return selected;
}

function findSelected(graph: Graph, names: readonly string[]): TaskNode[] {
  const seen = new Set<string>();
  const pending = [...names];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    // One by one: a group of 100,000 deps would overflow the stack as spread arguments.
    for (const dep of graph.tasks.get(name)!.deps) pending.push(dep);
  }
  return [...graph.tasks.values()].filter((task) => seen.has(task.name));
}

/**
 * The selected tasks in the order a one-at-a-time run starts them: deps first, in their declared
 * order, then the task. toposort checks the order (and keeps it, since it is already valid).
 */
export function orderTasks(graph: Graph, names: readonly string[]): TaskNode[] {
  const walk: string[] = [];
  const seen = new Set<string>();
  const visit = (start: string) => {
    // Iterative post-order walk, so long chains cannot overflow the stack.
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    seen.add(start);
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const deps = graph.tasks.get(frame.name)!.deps;
      const dep = deps[frame.next++];
      if (dep === undefined) {
        stack.pop();
        walk.push(frame.name);
      } else if (!seen.has(dep)) {
        seen.add(dep);
        stack.push({ name: dep, next: 0 });
      }
    }
  };
  for (const name of names) if (!seen.has(name)) visit(name);
  const edges: [string, string][] = [];
  for (const name of walk) for (const dep of graph.tasks.get(name)!.deps) edges.push([dep, name]);
  return toposort.array(walk, edges).map((name) => graph.tasks.get(name)!);
}

/**
 * The graph a `--no-deps` run uses: the named tasks keep only the deps that are named too (so their
 * order holds), and nothing else is selected. Up-to-date checks then see no deps.
 */
export function withoutDeps(graph: Graph, names: readonly string[]): Graph {
  const named = new Set(names);
  const tasks = new Map(graph.tasks);
  for (const name of named) {
    const task = graph.tasks.get(name)!;
    tasks.set(name, Object.freeze({ ...task, deps: Object.freeze(task.deps.filter((dep) => named.has(dep))) }));
  }
  return Object.freeze({ ...graph, tasks });
}
