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

/** Columns a line of the view loses to listr's mark and indentation. */
const MARGIN = 4;

/** Plain text cut to `width` columns, its end marked; cut before styling, so no escape code is cut. */
export function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** How a task's row looks: waiting dimmed, running with its latest line (cut to `width`), finished with its duration. */
export function rowLook(row: Row, style: Style, width = Infinity): Look {
  if (row.phase === "waiting") return { title: style.dim(`${row.name}  waiting`), mark: "waiting" };
  if (row.phase === "running") {
    const stopping = row.stopping ? `  ${style.yellow("stopping")}` : "";
    const latest = row.lastLine === undefined ? "" : `\n${style.dim(cut(`› ${row.lastLine}`, width - MARGIN))}`;
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

/** The line that says at once that the run is stopping, and which tasks it still waits for: as many names as fit in `width`. */
export function stoppingLook(signal: string, kill: boolean, waitingFor: readonly Row[], style: Style, width = Infinity): Look {
  const count = waitingFor.length > 1 ? `${waitingFor.length} tasks: ` : "";
  const line = (names: string[]) =>
    kill ? `mity: ${signal} again: killing ${count}${names.join(", ")}`.trimEnd() : `mity: ${signal}: stopping${names.length ? `, waiting for ${count}${names.join(", ")}` : ""} (again to kill them now)`;
  const first = (n: number) => [...waitingFor.slice(0, n).map((row) => row.name), ...(n < waitingFor.length ? ["…"] : [])];
  // Names are left off the end until the line fits; the count says the rest.
  let named = Math.min(NAMED, waitingFor.length);
  while (named > 1 && line(first(named)).length > width - MARGIN) named--;
  const title = line(first(named));
  return { title: kill ? style.red(title) : style.yellow(title), mark: "running" };
}
