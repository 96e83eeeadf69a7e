import type { MityEvent } from "../run/events.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { Summary } from "./summary.js";
import { Board } from "./tty/board.js";
import { foldLook, rowLook, stoppingLook, type Look } from "./tty/looks.js";
import { openView, type View } from "./tty/view.js";
import { describeChange, describeReady } from "./watch-lines.js";

export interface TtyOptions extends ReporterOptions {
  /** Terminal height: the view never draws more rows than fit. */
  rows: () => number;
}

/**
 * The live terminal view, drawn by listr2 from the scheduler's events: running tasks spin with their
 * latest output line, waiting ones are dimmed, finished ones show their duration, failed ones are
 * marked. Rows that do not fit the terminal fold into one line, and listr is only ever given the lines
 * that fit. listr2 runs nothing and owns no signals.
 */
export function ttyReporter(options: TtyOptions): Reporter {
  const { style } = options;
  const summary = new Summary(options);
  const board = new Board(options.tasks);
  let stopping: { signal: string; kill: boolean } | undefined;
  // Watch mode: why this run is happening, shown above the tasks.
  let because: Look | undefined;
  let changed = false;
  let live: { view: View; lines: number } | undefined;

  // What fits: the terminal's height less a line for the fold, one for the cursor and one to spare.
  const lines = () => Math.max(4, options.rows() - 3);

  const looks = (finishedOnly: boolean): Look[] => {
    const room = Math.min(live?.lines ?? lines(), lines()) - (stopping && !finishedOnly ? 1 : 0) - (because ? 1 : 0);
    const frame = board.frame(room, finishedOnly);
    const all = [...(because ? [because] : []), ...frame.shown.map((row) => rowLook(row, style)), foldLook(frame, style)];
    if (stopping && !finishedOnly) all.push(stoppingLook(stopping.signal, stopping.kill, board.running(), style));
    return all;
  };

  // Events only mark the view changed; the view asks for a frame at its own pace, so their rate costs nothing.
  const nextFrame = () => {
    if (!changed) return undefined;
    changed = false;
    return looks(false);
  };

  const open = () => {
    const room = lines();
    changed = true;
    live = { view: openView(room + 2, nextFrame), lines: room };
  };

  // Ends the current view with the rows finished so far; the next view (after an interactive task) shows the rest.
  const closeView = async () => {
    if (!live) return;
    const { view } = live;
    const last = looks(true);
    live = undefined;
    board.retireFinished();
    await view.close(last);
  };

  const handle = (event: MityEvent) => {
    summary.record(event);
    if (event.event === "start") board.start(event.task);
    else if (event.event === "end") board.end(event);
    else if (event.event === "output" && event.line.trim() !== "") board.row(event.task).lastLine = event.line;
    else if (event.event === "ready") board.row(event.task).lastLine = describeReady(event);
    else if (event.event === "change") because = { title: style.cyan(`mity: ${describeChange(event)}`), mark: "ok" };
    else return;
    changed = true;
  };

  let finished: Promise<void> | undefined;
  const reporter: Reporter = Object.assign(
    (event: MityEvent) => {
      if (event.event === "summary") {
        // The summary waits for the view's last frame, so it is printed below it.
        finished = closeView().then(() => handle(event));
        return;
      }
      handle(event);
    },
    {
      close: () => finished ?? closeView(),
      yieldTerminal: async () => {
        await closeView();
        return () => open();
      },
      stopping: (signal: string, kill: boolean) => {
        stopping = { signal, kill };
        board.stopping();
        changed = true;
        // Said at once, not at the next frame: the person who pressed Ctrl-C is watching.
        live?.view.now();
      },
    },
  );
  open();
  return reporter;
}
