import type { EndEvent } from "../../run/events.js";

/** One task's row in the view. */
export interface Row {
  name: string;
  /** Its place in run order: shown rows keep this order. */
  order: number;
  phase: "waiting" | "running" | "done";
  end?: EndEvent;
  lastLine?: string;
  /** Running when the run was asked to stop: mity waits for it to end. */
  stopping?: boolean;
}

/** What one frame shows: rows in run order, and how many of each kind fold into one line. */
export interface Frame {
  shown: Row[];
  folded: { running: number; finished: number; waiting: number };
}

/**
 * Every task's row, kept so that an event costs O(1) and a frame at most one pass over the rows,
 * whatever the number of tasks: the view asks for a frame at a bounded rate, never per event.
 */
export class Board {
  #rows = new Map<string, Row>();
  #ordered: Row[] = [];
  #running = new Set<Row>();
  #failed: Row[] = [];
  #finished: Row[] = [];
  /** Rows before these marks were drawn by an earlier view (before an interactive task) and are not drawn again. */
  #failedFrom = 0;
  #finishedFrom = 0;
  /** Every row before this index has left `waiting`: the scan for waiting rows starts here. */
  #waitingFrom = 0;
  #waiting = 0;

  constructor(names: readonly string[]) {
    for (const name of names) this.row(name);
  }

  /** The row of a task, added at the end of run order when the plan did not name it. */
  row(name: string): Row {
    let row = this.#rows.get(name);
    if (!row) {
      row = { name, order: this.#ordered.length, phase: "waiting" };
      this.#rows.set(name, row);
      this.#ordered.push(row);
      this.#waiting++;
    }
    return row;
  }

  start(name: string): void {
    const row = this.row(name);
    if (row.phase !== "waiting") return;
    row.phase = "running";
    this.#waiting--;
    this.#running.add(row);
  }

  end(event: EndEvent): void {
    const row = this.row(event.task);
    if (row.phase === "done") return;
    if (row.phase === "waiting") this.#waiting--;
    this.#running.delete(row);
    row.phase = "done";
    row.end = event;
    (event.state === "failed" ? this.#failed : this.#finished).push(row);
  }

  /** The run is stopping: every running row is marked, and the names of those mity waits for. */
  stopping(): void {
    for (const row of this.#running) row.stopping = true;
  }

  running(): Row[] {
    return [...this.#running];
  }

  /** Rows finished so far were drawn for good: later frames leave them out. */
  retireFinished(): void {
    this.#failedFrom = this.#failed.length;
    this.#finishedFrom = this.#finished.length;
  }

  /**
   * The rows that fit in `lines`: failed first, then running (two lines with their latest output),
   * then the latest finished, then the next waiting. `finishedOnly` draws a view's last frame.
   */
  frame(lines: number, finishedOnly = false): Frame {
    let budget = lines;
    const shown: Row[] = [];
    // Takes rows while they fit; the first that does not ends the kind, so a frame stays one pass.
    const take = (rows: Iterable<Row>, cost: (row: Row) => number): number => {
      let count = 0;
      for (const row of rows) {
        if (cost(row) > budget) break;
        budget -= cost(row);
        shown.push(row);
        count++;
      }
      return count;
    };
    const failed = take(from(this.#failed, this.#failedFrom), () => 1);
    const running = finishedOnly ? 0 : take(this.#running, (row) => (row.lastLine === undefined ? 1 : 2));
    const finished = take(latestFirst(this.#finished, this.#finishedFrom), () => 1);
    const waiting = finishedOnly ? 0 : take(this.#waitingRows(), () => 1);
    const done = this.#failed.length - this.#failedFrom + this.#finished.length - this.#finishedFrom;
    return {
      shown: shown.sort((a, b) => a.order - b.order),
      folded: {
        running: finishedOnly ? 0 : this.#running.size - running,
        finished: done - failed - finished,
        waiting: finishedOnly ? 0 : this.#waiting - waiting,
      },
    };
  }

  *#waitingRows(): Generator<Row> {
    while (this.#ordered[this.#waitingFrom] && this.#ordered[this.#waitingFrom]!.phase !== "waiting") this.#waitingFrom++;
    for (let i = this.#waitingFrom; i < this.#ordered.length; i++) if (this.#ordered[i]!.phase === "waiting") yield this.#ordered[i]!;
  }
}

function* from(list: readonly Row[], start: number): Generator<Row> {
  for (let i = start; i < list.length; i++) yield list[i]!;
}

function* latestFirst(list: readonly Row[], stop: number): Generator<Row> {
  for (let i = list.length - 1; i >= stop; i--) yield list[i]!;
}
