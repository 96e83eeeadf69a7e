import type { RunShape } from "./analysis.js";
import { escapeHtml, shorten, STATE_MARK } from "./html-text.js";
import type { TaskRecord } from "./run-record.js";

const NODE_W = 170;
const NODE_H = 20;
const GAP_X = 48;
const GAP_Y = 8;
const MARGIN = 8;

/** The task graph as one SVG: a column per layer (deps on the left), an edge from each dep to the task that needs it. */
export function graphSvg(tasks: readonly TaskRecord[], shape: RunShape): string {
  const columns: TaskRecord[][] = [];
  for (const task of [...tasks].sort((a, b) => (a.name < b.name ? -1 : 1))) (columns[shape.layer.get(task.name) ?? 0] ??= []).push(task);
  const place = new Map<string, { x: number; y: number }>();
  columns.forEach((column, layer) => column.forEach((task, index) => place.set(task.name, { x: MARGIN + layer * (NODE_W + GAP_X), y: MARGIN + index * (NODE_H + GAP_Y) })));
  const width = MARGIN * 2 + columns.length * (NODE_W + GAP_X) - GAP_X;
  const height = MARGIN * 2 + Math.max(1, ...columns.map((column) => column.length)) * (NODE_H + GAP_Y) - GAP_Y;
  const edges: string[] = [];
  const nodes: string[] = [];
  for (const task of tasks) {
    const to = place.get(task.name)!;
    for (const dep of task.deps) {
      const from = place.get(dep);
      if (!from) continue;
      const critical = shape.critical.has(task.name) && shape.critical.has(dep);
      const [x1, y1, x2, y2] = [from.x + NODE_W, from.y + NODE_H / 2, to.x, to.y + NODE_H / 2];
      const bend = (x2 - x1) / 2;
      edges.push(`<path class="edge${critical ? " critical" : ""}" d="M${x1} ${y1}C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}"/>`);
    }
    const critical = shape.critical.has(task.name);
    nodes.push(
      `<g class="node s-${task.state}${critical ? " critical" : ""}"><title>${escapeHtml(`${task.name}: ${task.state}`)}</title>` +
        `<rect x="${to.x}" y="${to.y}" width="${NODE_W}" height="${NODE_H}" rx="3"/>` +
        `<text x="${to.x + 6}" y="${to.y + NODE_H / 2}">${STATE_MARK[task.state]} ${escapeHtml(shorten(task.name, 22))}</text></g>`,
    );
  }
  return [
    `<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Graph of ${tasks.length} tasks">`,
    `<g class="edges">${edges.join("")}</g>`,
    nodes.join("\n"),
    "</svg>",
  ].join("\n");
}
