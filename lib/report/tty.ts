import type { MityEvent } from "../run/events.js";
import { byKind, ignore, type Reporter, type ReporterOptions } from "./reporter.js";
import { describeChange, describeReady } from "./watch-lines.js";
import { Summary } from "./summary.js";
import { Board } from "./tty/board.js";
import { layout, rowsFor } from "./tty/layout.js";
import type { Look } from "./tty/looks.js";
import { openView, type View } from "./tty/view.js";

export interface TtyOptions extends ReporterOptions {
  /** Terminal height: the view never draws more rows than fit. */
  rows: () => number;
  /** Terminal width: a task's latest line is cut to it (default 80). */
  columns?: (() => number) | undefined;
}

/**
 * The live terminal view, drawn by listr2 from the scheduler's events: running tasks spin with their
 * latest output line, waiting ones are dimmed, finished ones show their duration, failed ones are
 * marked. Rows that do not fit the terminal fold into one line, and listr is only ever given the lines
 * that fit. listr2 runs nothing and owns no signals.
 */
export function ttyReporter(options: TtyOptions): Reporter {
  const summary = new Summary(options);
  const screen = new Screen(options);
  const draw = boardEvents(screen);
  const handle = (event: MityEvent) => {
    summary.record(event);
    draw(event);
  };
  let finished: Promise<void> | undefined;
  const reporter: Reporter = Object.assign(
    (event: MityEvent) => {
      // The summary waits for the view's last frame, so it is printed below it.
      if (event.event === "summary") finished = screen.close().then(() => handle(event));
      else handle(event);
    },
    {
      close: () => finished ?? screen.close(),
      yieldTerminal: async () => {
        await screen.close();
        return () => screen.open();
      },
      stopping: (signal: string, kill: boolean) => screen.stopping(signal, kill),
    },
  );
  screen.open();
  return reporter;
}

/** What each event does to the board; the next frame draws it. */
function boardEvents(screen: Screen): (event: MityEvent) => void {
  const { board } = screen;
  return byKind({
    start: (event) => {
      board.start(event.task);
      screen.touch();
    },
    command: ignore,
    output: (event) => {
      if (event.line.trim() === "") return;
      board.row(event.task).lastLine = event.line;
      screen.touch();
    },
    // The same output comes as `output` lines.
    chunk: ignore,
    end: (event) => {
      board.end(event);
      screen.touch();
    },
    ready: (event) => {
      board.row(event.task).lastLine = describeReady(event);
      screen.touch();
    },
    change: (event) => screen.because(`mity: ${describeChange(event)}`),
    // The summary is printed below the view once it has closed.
    summary: ignore,
  });
}

/** The board and the live view that draws it; a view is closed for an interactive task and opened again after. */
class Screen {
  readonly board: Board;
  #stopping: { signal: string; kill: boolean } | undefined;
  #because: string | undefined;
  #changed = false;
  #live: { view: View; rows: number } | undefined;

  constructor(private readonly options: TtyOptions) {
    this.board = new Board(options.tasks);
  }

  /** Events only mark the view changed; the view asks for a frame at its own pace, so their rate costs nothing. */
  touch(): void {
    this.#changed = true;
  }

  open(): void {
    const rows = this.#rows();
    this.#changed = true;
    this.#live = { view: openView(rows + 2, () => this.#nextFrame()), rows };
  }

  /** Ends the current view with the rows finished so far; the next view (after an interactive task) shows the rest. */
  async close(): Promise<void> {
    if (!this.#live) return;
    const { view } = this.#live;
    const last = this.#looks(true);
    this.#live = undefined;
    this.board.retireFinished();
    await view.close(last);
  }

  /** Watch mode: why the run happens, shown above the tasks. */
  because(line: string): void {
    this.#because = line;
    this.#changed = true;
  }

  stopping(signal: string, kill: boolean): void {
    this.#stopping = { signal, kill };
    this.board.stopping();
    this.#changed = true;
    // Said at once, not at the next frame: the person who pressed Ctrl-C is watching.
    this.#live?.view.now();
  }

  #rows(): number {
    return rowsFor(this.options.rows());
  }

  #nextFrame(): Look[] | undefined {
    if (!this.#changed) return undefined;
    this.#changed = false;
    return this.#looks(false);
  }

  #looks(finishedOnly: boolean): Look[] {
    // A terminal made smaller since the view opened holds fewer rows; a larger one no more than the view has.
    const size = { rows: Math.min(this.#live?.rows ?? this.#rows(), this.#rows()), columns: this.options.columns?.() ?? 80 };
    return layout({ board: this.board, stopping: this.#stopping, because: this.#because }, size, this.options.style, finishedOnly);
  }
}
