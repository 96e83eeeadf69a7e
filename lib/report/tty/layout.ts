import type { Style } from "../../util/style.js";
import type { Board } from "./board.js";
import { foldLook, rowLook, stoppingLook, type Look } from "./looks.js";

/** What a frame is drawn from: the rows as they stand, and whether the run is stopping. */
export interface ViewState {
  /** Only read: a frame never changes what it draws. */
  board: Pick<Board, "frame" | "running">;
  stopping?: { signal: string; kill: boolean } | undefined;
  /** Watch mode: why this run happens, a line above the rows. */
  because?: string | undefined;
}

/** The terminal the frame must fit: lines of rows (the fold and the stopping lines come on top), and columns. */
export interface FrameSize {
  rows: number;
  columns: number;
}

/** Rows of tasks a terminal of `height` lines holds: less a line for the fold, one for the cursor and one to spare. */
export const rowsFor = (height: number): number => Math.max(4, height - 3);

/**
 * The lines of one frame: the rows that fit, a line for those that did not, and a line while the run
 * is stopping (which takes a row's place). A row's latest output is cut to the terminal's width.
 * `finishedOnly` draws a view's last frame, left on the terminal: finished rows alone.
 */
export function layout(state: ViewState, size: FrameSize, style: Style, finishedOnly = false): Look[] {
  const stopping = finishedOnly ? undefined : state.stopping;
  const because = state.because === undefined ? [] : [{ title: style.cyan(state.because), mark: "ok" as const }];
  const frame = state.board.frame(Math.max(0, size.rows - (stopping ? 1 : 0) - because.length), finishedOnly);
  const lines = [...because, ...frame.shown.map((row) => rowLook(row, style, size.columns))];
  lines.push(foldLook(frame, style));
  if (stopping) lines.push(stoppingLook(stopping.signal, stopping.kill, state.board.running(), style, size.columns));
  return lines;
}
