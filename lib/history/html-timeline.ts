import { formatDuration } from "../util/duration.js";
import type { RunShape } from "./analysis.js";
import { escapeHtml, shorten, STATE_MARK } from "./html-text.js";
import type { TaskRecord } from "./run-record.js";

const ROW = 22;
const BAR = 14;
const PLOT = 800;
const AXIS = 24;
/** Room for the duration written after the longest bar. */
const TAIL = 70;

/** The run as one SVG: a row per task, in order of start, a bar from its start to its end, its wait hatched before it. */
export function timelineSvg(tasks: readonly TaskRecord[], shape: RunShape, duration: number): string {
  const rows = [...tasks].sort((a, b) => (a.start ?? Infinity) - (b.start ?? Infinity) || (a.name < b.name ? -1 : 1));
  const longest = Math.max(8, ...rows.map((task) => Math.min(task.name.length, 40)));
  const label = longest * 7 + 40;
  const scale = PLOT / Math.max(duration, 1);
  const width = label + PLOT + TAIL;
  const height = AXIS + rows.length * ROW + 4;
  const parts = [`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Timeline of ${rows.length} tasks">`];
  parts.push(`<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="wait-bg"/><line x1="0" y1="0" x2="0" y2="6" class="wait-line"/></pattern></defs>`);
  parts.push(axis(label, scale, duration, height));
  rows.forEach((task, index) => parts.push(row(task, shape, label + 0.5, scale, AXIS + index * ROW)));
  parts.push("</svg>");
  return parts.join("\n");
}

function row(task: TaskRecord, shape: RunShape, left: number, scale: number, top: number): string {
  const critical = shape.critical.has(task.name);
  const wait = shape.wait.get(task.name) ?? 0;
  const y = top + (ROW - BAR) / 2;
  const took = task.start === undefined ? task.state : formatDuration(task.duration);
  const tip = `${task.name}: ${task.state}${task.start === undefined ? "" : `, took ${formatDuration(task.duration)}`}${wait > 0 ? `, waited ${formatDuration(wait)} after its deps` : ""}${critical ? ", on the critical path" : ""}${task.reason ? ` (${task.reason})` : ""}`;
  const parts = [`<g class="row s-${task.state}${critical ? " critical" : ""}"><title>${escapeHtml(tip)}</title>`];
  parts.push(`<text class="label" x="${left - 8}" y="${top + ROW / 2}">${escapeHtml(shorten(task.name, 40))} ${STATE_MARK[task.state]}${critical ? " ◆" : ""}</text>`);
  if (task.start !== undefined) {
    const end = task.end ?? task.start + task.duration;
    if (wait > 0) parts.push(`<rect class="wait" x="${x(left, scale, task.start - wait)}" y="${y + 3}" width="${Math.max(1, wait * scale).toFixed(1)}" height="${BAR - 6}"/>`);
    const barWidth = Math.max(2, (end - task.start) * scale);
    parts.push(`<rect class="bar" x="${x(left, scale, task.start)}" y="${y}" width="${barWidth.toFixed(1)}" height="${BAR}" rx="2"/>`);
    parts.push(`<text class="took" x="${(left + task.start * scale + barWidth + 4).toFixed(1)}" y="${top + ROW / 2}">${escapeHtml(took)}</text>`);
  } else {
    parts.push(`<text class="took" x="${left + 4}" y="${top + ROW / 2}">${escapeHtml(took)}</text>`);
  }
  parts.push("</g>");
  return parts.join("");
}

const x = (left: number, scale: number, ms: number) => (left + ms * scale).toFixed(1);

/** Ticks at a round step, about eight across. */
function axis(left: number, scale: number, duration: number, height: number): string {
  const rough = Math.max(duration, 1) / 8;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const parts = ['<g class="axis">'];
  for (let ms = 0; ms <= duration; ms += step) {
    const at = x(left + 0.5, scale, ms);
    parts.push(`<line x1="${at}" y1="${AXIS - 4}" x2="${at}" y2="${height}"/><text x="${at}" y="${AXIS - 8}">${formatDuration(ms)}</text>`);
  }
  parts.push("</g>");
  return parts.join("");
}
