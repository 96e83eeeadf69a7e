import type { TaskNode } from "../graph/graph.js";
import { envName } from "../graph/params.js";
import type { Prediction } from "../state/explain.js";
import { oneLine } from "../util/one-line.js";
import type { Style } from "../util/style.js";

/** What a run would do, in the order a one-at-a-time run starts the tasks, and why each would run or not. */
export function describeDryRun(
  order: readonly TaskNode[],
  options: {
    parallel: boolean;
    concurrency: number;
    style: Style;
    predictions?: ReadonlyMap<string, Prediction>;
    params?: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  },
): string {
  const { style, predictions } = options;
  const mode = options.parallel
    ? `listed in a valid order; independent ones run at the same time, at most ${options.concurrency} at once`
    : "in this order, except that deps of tasks marked concurrent may overlap";
  const running = order.filter((task) => predictions?.get(task.name)?.runs ?? true).length;
  const upToDate = order.length - running;
  const counts = `${running} task${running === 1 ? "" : "s"} would run${upToDate ? `, ${upToDate} up to date` : ""}`;
  const lines = [style.bold(`Dry run: ${counts} (${mode}); nothing is run.`)];
  const width = Math.max(0, ...order.map((task) => task.name.length));
  const indent = String(order.length).length + width + 4;
  order.forEach((task, i) => {
    const number = `${i + 1}.`.padStart(String(order.length).length + 1);
    const deps = task.deps.length ? style.dim(`  after ${task.deps.join(", ")}`) : "";
    const prediction = predictions?.get(task.name);
    const name = prediction && !prediction.runs ? style.dim(task.name.padEnd(width)) : style.cyan(task.name.padEnd(width));
    lines.push(`${number} ${name}  ${whatRuns(task)}${deps}`);
    if (Array.isArray(task.run) && task.run.length > 1) for (const command of task.run) lines.push(`${" ".repeat(indent)}${style.dim("$")} ${oneLine(command)}`);
    if (prediction) lines.push(`${" ".repeat(indent)}${style.dim(`${prediction.runs ? "runs" : "up to date"}: ${prediction.reason}`)}`);
    const values = Object.entries(options.params?.get(task.name) ?? {});
    if (values.length) lines.push(`${" ".repeat(indent)}${style.dim(`params: ${values.map(([name, value]) => `${envName(name)}=${Array.isArray(value) ? JSON.stringify(value) : String(value)}`).join(" ")}`)}`);
    if (task.confirm !== undefined) lines.push(`${" ".repeat(indent)}${style.dim(`asks first: "${task.confirm}" (--yes answers yes)`)}`);
  });
  return `${lines.join("\n")}\n`;
}

function whatRuns(task: TaskNode): string {
  if (task.run === undefined) return "(group: only its deps)";
  if (typeof task.run === "function") return "(function)";
  return task.run.length === 1 ? `$ ${oneLine(task.run[0]!)}` : `(${task.run.length} commands)`;
}
