import type { TaskNode } from "./graph.js";

/** The dependency graph as Graphviz dot; an edge goes from a task to its dep. */
export function toDot(tasks: readonly TaskNode[]): string {
  const lines = ["digraph mity {"];
  for (const task of tasks) lines.push(`  ${JSON.stringify(task.name)};`);
  for (const task of tasks) for (const dep of task.deps) lines.push(`  ${JSON.stringify(task.name)} -> ${JSON.stringify(dep)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** The dependency graph as a Mermaid flowchart (ids are generated: task names may hold ":" and "."). */
export function toMermaid(tasks: readonly TaskNode[]): string {
  const ids = new Map(tasks.map((task, i) => [task.name, `t${i}`]));
  const lines = ["graph TD"];
  for (const task of tasks) lines.push(`  ${ids.get(task.name)}["${task.name}"]`);
  for (const task of tasks) for (const dep of task.deps) lines.push(`  ${ids.get(task.name)} --> ${ids.get(dep)}`);
  return `${lines.join("\n")}\n`;
}

/** `{"nodes":[...],"edges":[[task, dep],...]}`. */
export function toJson(tasks: readonly TaskNode[]): string {
  const edges = tasks.flatMap((task) => task.deps.map((dep) => [task.name, dep]));
  return `${JSON.stringify({ nodes: tasks.map((task) => task.name), edges })}\n`;
}
