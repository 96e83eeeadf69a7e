import { relative } from "node:path";
import type { TaskNode } from "../graph/graph.js";
import { envName, kebab } from "../graph/params.js";
import type { Style } from "../util/style.js";

/** A command of several lines, its later lines under its first: help shows it whole. */
const aligned = (command: string) => command.trim().split(/\r?\n/).join(`\n${" ".repeat(17)}`);

/** `mity <task> --help`: what the task does, what it needs first, and its params. */
export function describeTask(task: TaskNode, options: { cwd: string; style: Style }): string {
  const { style } = options;
  const lines = [`${style.bold(`mity ${task.name}`)}${task.description ? `  ${task.description}` : ""}`, ""];
  lines.push(`  declared in  ${relative(options.cwd, task.file) || task.file}`);
  if (task.deps.length) lines.push(`  runs first   ${task.deps.join(", ")}`);
  if (Array.isArray(task.run)) task.run.forEach((command, i) => lines.push(`  ${i === 0 ? "runs        " : "            "} $ ${aligned(command)}`));
  else if (typeof task.run === "function") lines.push("  runs         a function");
  else lines.push("  runs         only its deps (a group)");
  if (task.confirm) lines.push(`  asks         "${task.confirm}" (--yes answers yes)`);
  const params = Object.entries(task.params);
  if (params.length) {
    lines.push("", style.bold("Params:"));
    const usage = params.map(([name, spec]) => (spec.type === "boolean" ? `--${kebab(name)}` : `--${kebab(name)} <${spec.type === "string[]" ? "string, repeatable" : spec.type}>`));
    const width = Math.max(...usage.map((text) => text.length));
    params.forEach(([name, spec], i) => {
      const notes = [
        spec.required ? "required" : "",
        spec.choices ? `one of ${spec.choices.map((choice) => JSON.stringify(choice)).join(", ")}` : "",
        spec.default !== undefined ? `default ${JSON.stringify(spec.default)}` : "",
        `$${envName(name)}`,
      ].filter(Boolean);
      lines.push(`  ${style.cyan(usage[i]!.padEnd(width))}  ${spec.description ? `${spec.description} ` : ""}${style.dim(`(${notes.join("; ")})`)}`);
    });
  }
  return `${lines.join("\n")}\n`;
}
