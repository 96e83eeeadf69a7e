import { relative } from "node:path";
import type { Graph, TaskNode } from "../graph/graph.js";
import type { Style } from "../util/style.js";

/** `--list --json`: name, description, deps and hidden of each task. */
export function listJson(graph: Graph, all: boolean): string {
  const tasks = [...graph.tasks.values()].filter((task) => all || !task.hidden);
  const rows = tasks.map((task) => ({ name: task.name, description: task.description ?? null, deps: task.deps, hidden: task.hidden }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/** `--list`: tasks with descriptions, grouped by namespace, the default marked. */
export function listText(graph: Graph, options: { all: boolean; cwd: string; style: Style }): string {
  const { style } = options;
  const tasks = [...graph.tasks.values()].filter((task) => options.all || !task.hidden);
  const groups = new Map<string, TaskNode[]>();
  for (const task of tasks) {
    const group = groups.get(task.namespace) ?? [];
    group.push(task);
    groups.set(task.namespace, group);
  }
  const width = Math.min(32, Math.max(0, ...tasks.map((task) => task.name.length)));
  const lines: string[] = [];
  const shown = (file: string) => relative(options.cwd, file) || file;
  for (const [namespace, members] of groups) {
    if (lines.length > 0) lines.push("");
    const from = style.dim(`(${shown(members[0]!.file)})`);
    lines.push(namespace ? `${style.bold(`${namespace}:`)} ${from}` : `${style.bold("Tasks")} ${from}`);
    for (const task of members) {
      const notes = [task.name === graph.defaultTask ? "default" : "", task.hidden ? "hidden" : ""].filter(Boolean);
      const note = notes.length ? style.dim(` (${notes.join(", ")})`) : "";
      const name = style.cyan(task.name.padEnd(width));
      lines.push(`  ${name}  ${task.description ?? ""}${note}`.trimEnd());
    }
  }
  if (tasks.length === 0) lines.push(`No tasks in ${shown(graph.file)}${graph.tasks.size > 0 ? " (all hidden: use --all)" : ""}.`);
  return `${lines.join("\n")}\n`;
}
