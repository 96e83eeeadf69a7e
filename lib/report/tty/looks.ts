import { formatDuration } from "../../util/duration.js";
import type { Style } from "../../util/style.js";
import type { Frame, Row } from "./board.js";

/** Which mark a line of the view carries: listr draws it from the state of the task behind the line. */
export type Mark = "waiting" | "running" | "ok" | "failed" | "skipped";

/** One line of the view (two with a running task's latest output); an empty title draws nothing. */
export interface Look {
  title: string;
  mark: Mark;
}

export const EMPTY: Look = { title: "", mark: "skipped" };

/** How a task's row looks: waiting dimmed, running with its latest line, finished with its duration. */
export function rowLook(row: Row, style: Style): Look {
  if (row.phase === "waiting") return { title: style.dim(`${row.name}  waiting`), mark: "waiting" };
  if (row.phase === "running") {
    const stopping = row.stopping ? `  ${style.yellow("stopping")}` : "";
    const latest = row.lastLine === undefined ? "" : `\n${style.dim(`› ${row.lastLine}`)}`;
    return { title: `${style.bold(row.name)}${stopping}${latest}`, mark: "running" };
  }
  const end = row.end!;
  const took = end.state === "skipped" ? "" : ` ${style.dim(formatDuration(end.duration))}`;
  const why = end.state === "ok" || end.state === "up-to-date" ? "" : `  ${style.dim(end.reason ?? end.state)}`;
  const mark: Mark = end.state === "ok" || end.state === "up-to-date" ? "ok" : end.state === "failed" ? "failed" : "skipped";
  return { title: `${row.name}${took}${why}`, mark };
}

/** The line that stands for every row that did not fit. */
export function foldLook({ folded }: Frame, style: Style): Look {
  const parts = [
    folded.running ? `${folded.running} more running` : "",
    folded.finished ? `${folded.finished} more finished` : "",
    folded.waiting ? `${folded.waiting} more waiting` : "",
  ].filter(Boolean);
  return parts.length ? { title: style.dim(`… ${parts.join(", ")}`), mark: "waiting" } : EMPTY;
}

/** Most tasks the stopping line names. */
const NAMED = 10;

/** The line that says at once that the run is stopping, and which tasks it still waits for. */
export function stoppingLook(signal: string, kill: boolean, waitingFor: readonly Row[], style: Style): Look {
  // The line is cut at the terminal's width anyway: a few names say enough, the count says the rest.
  const names = waitingFor.slice(0, NAMED).map((row) => row.name);
  if (waitingFor.length > NAMED) names.push("…");
  const count = waitingFor.length > 1 ? `${waitingFor.length} tasks: ` : "";
  if (kill) return { title: style.red(`mity: ${signal} again: killing ${count}${names.join(", ")}`.trimEnd()), mark: "running" };
  const which = waitingFor.length ? `, waiting for ${count}${names.join(", ")}` : "";
  return { title: style.yellow(`mity: ${signal}: stopping${which} (again to kill them now)`), mark: "running" };
}
