import type { TaskNode } from "../graph/graph.js";
import type { Style } from "../util/style.js";

/** What a run would do, in the order a one-at-a-time run starts the tasks, and why each runs. */
export function describeDryRun(order: readonly TaskNode[], options: { parallel: boolean; concurrency: number; style: Style }): string {
  const { style } = options;
  const mode = options.parallel
    ? `listed in a valid order; independent ones run at the same time, at most ${options.concurrency} at once`
    : "in this order, except that deps of tasks marked concurrent may overlap";
  const lines = [style.bold(`Dry run: ${order.length} task${order.length === 1 ? "" : "s"} would run (${mode}); nothing is run.`)];
  const width = Math.max(0, ...order.map((task) => task.name.length));
  order.forEach((task, i) => {
    const number = `${i + 1}.`.padStart(String(order.length).length + 1);
    const deps = task.deps.length ? style.dim(`  after ${task.deps.join(", ")}`) : "";
    lines.push(`${number} ${style.cyan(task.name.padEnd(width))}  ${whatRuns(task)}${deps}`);
    if (Array.isArray(task.run) && task.run.length > 1) for (const command of task.run) lines.push(`${" ".repeat(number.length + width + 3)}${style.dim("$")} ${command}`);
  });
  lines.push(style.dim("Each task would run because it declares no inputs or outputs to check."));
  return `${lines.join("\n")}\n`;
}

const style$ = (command: string) => `$ ${command}`;

function whatRuns(task: TaskNode): string {
  if (task.run === undefined) return "(group: only its deps)";
  if (typeof task.run === "function") return "(function)";
  return task.run.length === 1 ? style$(task.run[0]!) : `(${task.run.length} commands)`;
}
