import type { Graph } from "../graph/graph.js";
import { resolveRequested } from "../graph/plan.js";
import type { RunRecord } from "../history/run-record.js";
import { readRecords, runsFolder } from "../history/store.js";
import { recordedTask, taskHistory } from "../history/stats.js";
import { formatDuration } from "../util/duration.js";
import { MityError } from "../util/errors.js";
import type { Style } from "../util/style.js";
import type { CliRequest } from "./args.js";
import { EXIT, type CliIO } from "./io.js";

/** `mity --runs [task]`: recent runs, newest first, or one task's recent outcomes and durations. */
export function runsCommand(graph: Graph, request: CliRequest, style: Style, io: CliIO): number {
  if (request.tasks.length > 1) throw new MityError(`--runs takes at most one task name, not ${request.tasks.length}: mity --runs <task>`);
  const records = readRecords(runsFolder(graph.root));
  const [word] = request.tasks;
  if (word === undefined) {
    io.stdout.write(request.json ? `${JSON.stringify(records.map(runLine), null, 2)}\n` : runsText(records, style));
    return EXIT.ok;
  }
  // A task that ran once but is gone from the mityfile keeps its history; any other name is checked as a run would.
  const task = recordedTask(records, word) ? word : resolveRequested(graph, [word])[0]!;
  const history = taskHistory(records, task);
  const json = () => ({ ...history, outcomes: history.outcomes.map((outcome) => ({ ...outcome, startedAt: new Date(outcome.startedAt).toISOString() })) });
  io.stdout.write(request.json ? `${JSON.stringify(json(), null, 2)}\n` : taskText(history, style));
  return EXIT.ok;
}

/** A run without its tasks: what `--runs --json` lists. */
function runLine(record: RunRecord) {
  const { id, startedAt, asked, state, duration, counts, revision, version } = record;
  return { id, startedAt: new Date(startedAt).toISOString(), asked, state, duration, counts, ...(revision ? { revision } : {}), version };
}

function runsText(records: readonly RunRecord[], style: Style): string {
  if (records.length === 0) return "No run recorded yet: each run that starts a task is kept in .mity/runs/.\n";
  const rows = records.map((record, index) => [
    `-${index + 1}`,
    when(record.startedAt),
    record.state,
    formatDuration(record.duration),
    [...record.asked.tasks, ...record.asked.options].join(" ") || "(default)",
    countsText(record.counts),
    record.revision?.slice(0, 9) ?? "",
    record.id,
  ]);
  return table(["#", "when", "result", "took", "asked", "tasks", "commit", "id"], rows, style);
}

function taskText(history: ReturnType<typeof taskHistory>, style: Style): string {
  const { task, outcomes, ok, p50, p95 } = history;
  const durations = p50 === undefined ? "no successful run to time" : `p50 ${formatDuration(p50)}, p95 ${formatDuration(p95!)} (of ${ok} successful)`;
  const head = `${style.bold(task)}: ${outcomes.length} recorded run${outcomes.length === 1 ? "" : "s"}; ${durations}\n`;
  if (outcomes.length === 0) return head;
  const rows = outcomes.map((outcome) => [
    when(outcome.startedAt),
    outcome.state,
    outcome.state === "ok" || outcome.state === "failed" || outcome.state === "cancelled" ? formatDuration(outcome.duration) : "",
    [outcome.attempts && outcome.attempts > 1 ? `${outcome.attempts} attempts` : "", outcome.reason ?? ""].filter(Boolean).join("; "),
  ]);
  return head + table(["when", "state", "took", "why"], rows, style);
}

function countsText(counts: RunRecord["counts"]): string {
  return Object.entries(counts)
    .filter(([, count]) => count !== undefined && count > 0)
    .map(([state, count]) => `${count} ${state}`)
    .join(", ");
}

/** Local time, to the second: `2026-12-07 14:20:01`. */
function when(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Columns padded to their widest cell; the last is not padded. */
function table(header: readonly string[], rows: readonly string[][], style: Style): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ").trimEnd();
  return [style.dim(line(header)), ...rows.map(line)].join("\n") + "\n";
}
