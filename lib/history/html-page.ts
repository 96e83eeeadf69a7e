import { formatDuration } from "../util/duration.js";
import { shapeOf } from "./analysis.js";
import { graphSvg } from "./html-graph.js";
import { REPORT_CSS } from "./html-style.js";
import { escapeHtml, plainText, STATE_MARK, STATES } from "./html-text.js";
import { timelineSvg } from "./html-timeline.js";
import type { RunRecord, TaskRecord } from "./run-record.js";

/** Above this many tasks the graph starts folded: its picture is as tall as its widest layer. */
const GRAPH_OPEN_UP_TO = 200;

/**
 * One self-contained page for a run: every picture is SVG drawn here, every style inline, no script,
 * and a policy that forbids loading anything, so it opens offline and stays quick with thousands of tasks.
 */
export function reportHtml(record: RunRecord): string {
  const shape = shapeOf(record.tasks);
  const failed = record.tasks.filter((task) => task.state === "failed");
  const asked = [...record.asked.tasks, ...record.asked.options].join(" ") || "(the default task)";
  const title = `mity run ${asked}: ${record.state}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>${STATE_MARK[record.state === "ok" ? "ok" : "failed"]} ${escapeHtml(title)}</h1>
${facts(record)}
<h2 id="timeline">Timeline</h2>
${legend()}
<div class="scroll">${timelineSvg(record.tasks, shape, record.duration)}</div>
${failed.length > 0 ? `<h2 id="failures">Failed tasks (${failed.length})</h2>\n${failed.map(failure).join("\n")}` : ""}
<h2 id="graph">Graph</h2>
<details${record.tasks.length <= GRAPH_OPEN_UP_TO ? " open" : ""}><summary>${record.tasks.length} tasks, deps on the left</summary>
<div class="scroll">${graphSvg(record.tasks, shape)}</div>
</details>
<h2 id="tasks">Tasks</h2>
${taskTable(record.tasks, shape)}
</main>
</body>
</html>
`;
}

function facts(record: RunRecord): string {
  const counts = STATES.flatMap((state) => (record.counts[state] ? [`${record.counts[state]} ${state}`] : [])).join(", ");
  const rows: [string, string][] = [
    ["run", record.id],
    ["started", new Date(record.startedAt).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")],
    ["took", formatDuration(record.duration)],
    ["result", `${record.state}${counts ? ` (${counts})` : ""}`],
    ["asked", [...record.asked.tasks, ...record.asked.options].join(" ") || "(the default task)"],
    ...(record.revision ? [["git revision", record.revision] as [string, string]] : []),
    ["mity", record.version],
  ];
  const failed = record.tasks.filter((task) => task.state === "failed").map((task) => `<a href="#${failureAnchor(task.name)}">${escapeHtml(task.name)}</a>`);
  const shown = rows.map(([name, value]) => `<dt>${name}</dt><dd class="${name === "run" || name === "git revision" ? "mono" : ""}">${escapeHtml(value)}</dd>`);
  if (failed.length > 0) shown.splice(4, 0, `<dt>failed</dt><dd>${failed.join(", ")}</dd>`);
  return `<dl class="facts">${shown.join("")}</dl>`;
}

/** An id made of safe characters: a task name may hold `:` and `.`, which links would have to escape. */
const failureAnchor = (name: string) => `failed-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;

function legend(): string {
  const states = STATES.map((state) => `<li><span class="swatch s-${state}"></span>${STATE_MARK[state]} ${state}</li>`);
  const extra = ['<li><span class="swatch critical"></span>◆ critical path (outlined)</li>', '<li><span class="swatch wait"></span>waiting after its deps were done (hatched)</li>'];
  return `<ul class="legend">${[...states, ...extra].join("")}</ul>`;
}

function failure(task: TaskRecord): string {
  const lines = (task.tail ?? []).map((line) => escapeHtml(plainText(line))).join("\n");
  return `<section class="failure" id="${failureAnchor(task.name)}"><h3>${STATE_MARK.failed} ${escapeHtml(task.name)}</h3>
${task.reason ? `<p>${escapeHtml(task.reason)}</p>` : ""}
${lines ? `<pre>${lines}</pre>` : '<p class="muted">It printed nothing.</p>'}</section>`;
}

function taskTable(tasks: readonly TaskRecord[], shape: ReturnType<typeof shapeOf>): string {
  const rows = [...tasks]
    .sort((a, b) => (a.start ?? Infinity) - (b.start ?? Infinity) || (a.name < b.name ? -1 : 1))
    .map((task) => {
      const ran = task.start !== undefined;
      const cells = [
        `${STATE_MARK[task.state]} ${escapeHtml(task.name)}${shape.critical.has(task.name) ? " ◆" : ""}`,
        task.state,
        ran ? formatDuration(task.start!) : "",
        ran ? formatDuration(task.duration) : "",
        ran && shape.wait.get(task.name) ? formatDuration(shape.wait.get(task.name)!) : "",
        task.exitCode === undefined ? "" : String(task.exitCode),
        task.attempts && task.attempts > 1 ? String(task.attempts) : "",
        escapeHtml([task.pool, task.worker].filter(Boolean).join(" / ")),
        escapeHtml(task.reason ?? ""),
      ];
      return `<tr class="s-${task.state}">${cells.map((cell, index) => `<td${index >= 2 && index <= 6 ? ' class="num"' : ""}>${cell}</td>`).join("")}</tr>`;
    });
  const head = ["task", "state", "started at", "took", "waited", "exit", "attempts", "pool / worker", "why"].map((name) => `<th>${name}</th>`).join("");
  return `<div class="table-wrap"><table class="tasks"><thead><tr>${head}</tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table></div>`;
}
