import { Listr, ListrTaskState, type DefaultRenderer, type ListrTaskObject, type ListrTaskWrapper, type SimpleRenderer } from "listr2";
import type { EndEvent, MityEvent } from "../run/events.js";
import { formatDuration } from "../util/duration.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { Summary } from "./summary.js";

type ListrTask = ListrTaskObject<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;
type Wrapper = ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;

/** A promise settled from outside: listr waits on it, our `end` event settles it. */
interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

const deferred = (): Deferred => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};

/** One task's row in the view. */
interface Row {
  name: string;
  phase: "waiting" | "running" | "done";
  end?: EndEvent;
  lastLine?: string;
  finishedAt?: number;
  /** Its listr task and what that task waits on, in the current view. */
  listed?: { task: ListrTask; done: Deferred; invoked: boolean } | undefined;
}

export interface TtyOptions extends ReporterOptions {
  /** Terminal height: the view never draws more rows than fit. */
  rows: () => number;
}

/**
 * The live terminal view, drawn by listr2 from the scheduler's events: running tasks spin with their
 * latest output line, waiting ones are dimmed, finished ones show their duration, failed ones are
 * marked. Rows that do not fit the terminal fold into one line. listr2 runs nothing and owns no signals.
 * Each row is driven through listr's own task object and a promise settled by our events, so it does
 * not matter whether listr has started a row's task function yet when the task ends.
 */
export function ttyReporter(options: TtyOptions): Reporter {
  const { style } = options;
  const summary = new Summary(options);
  const rows = new Map<string, Row>(options.tasks.map((name) => [name, { name, phase: "waiting" }]));
  let finishedCount = 0;
  let view: { done: Promise<unknown>; fold: { task: ListrTask; done: Deferred } } | undefined;

  const title = (row: Row): string => {
    if (row.phase === "waiting") return style.dim(`${row.name}  waiting`);
    if (row.phase === "running") return style.bold(row.name);
    const end = row.end!;
    const took = end.state === "skipped" ? "" : ` ${style.dim(formatDuration(end.duration))}`;
    const why = end.state === "ok" || end.state === "up-to-date" ? "" : `  ${style.dim(end.reason ?? end.state)}`;
    return `${row.name}${took}${why}`;
  };

  // Which rows fit: failed and running always, then the latest finished, then waiting; the rest fold.
  const visibleRows = (): Set<Row> => {
    const all = [...rows.values()];
    let budget = Math.max(4, options.rows() - 3);
    const shown = new Set<Row>();
    const take = (list: Row[], cost: number) => {
      for (const row of list) {
        if (budget - cost < 0) break;
        budget -= cost;
        shown.add(row);
      }
    };
    take(all.filter((row) => row.end?.state === "failed"), 1);
    take(all.filter((row) => row.phase === "running"), 2);
    take(all.filter((row) => row.phase === "done" && row.end?.state !== "failed").sort((a, b) => b.finishedAt! - a.finishedAt!), 1);
    take(all.filter((row) => row.phase === "waiting"), 1);
    return shown;
  };

  const foldTitle = (shown: Set<Row>): string => {
    const hidden = [...rows.values()].filter((row) => !shown.has(row));
    const done = hidden.filter((row) => row.phase === "done").length;
    const waiting = hidden.filter((row) => row.phase === "waiting").length;
    const parts = [done ? `${done} more finished` : "", waiting ? `${waiting} more waiting` : ""].filter(Boolean);
    return parts.length ? style.dim(`… ${parts.join(", ")}`) : "";
  };

  const layout = () => {
    if (!view) return;
    const shown = visibleRows();
    for (const row of rows.values()) if (row.listed) row.listed.task.title$ = shown.has(row) ? title(row) : "";
    view.fold.task.title$ = foldTitle(shown);
  };

  // Settles a finished row's listr task: ok resolves, failed rejects, the rest are skips. listr's state
  // is only touched once listr has started the task (before that it would skip the task altogether).
  const settle = (row: Row) => {
    const { listed, end } = row;
    if (!listed || !end || !listed.invoked) return;
    // listr completes only a started task: a waiting row is started on the way.
    listed.task.state$ = ListrTaskState.STARTED;
    if (end.state === "ok" || end.state === "up-to-date") return listed.done.resolve();
    if (end.state === "failed") return listed.done.reject(new Error(end.reason ?? "failed"));
    listed.task.message$ = { skip: title(row) };
    listed.task.state$ = ListrTaskState.SKIPPED;
    listed.done.resolve();
  };

  const open = () => {
    const pending = [...rows.values()].filter((row) => row.phase !== "done");
    // The first frame must already fit the terminal: lines scrolled off cannot be redrawn.
    const shown = visibleRows();
    const waits = pending.map(() => deferred());
    const foldDone = deferred();
    const listr = new Listr<unknown, "default", "simple">(
      [
        ...pending.map((row, i) => ({
          title: shown.has(row) ? title(row) : "",
          task: (_: unknown, wrapper: Wrapper) => {
            row.listed!.invoked = true;
            if (row.phase === "waiting") wrapper.task.state$ = ListrTaskState.PAUSED;
            if (row.lastLine !== undefined) wrapper.task.output$ = row.lastLine;
            settle(row);
            return waits[i]!.promise;
          },
        })),
        {
          title: foldTitle(shown),
          task: (_: unknown, wrapper: Wrapper) => {
            wrapper.task.state$ = ListrTaskState.PAUSED;
            return foldDone.promise;
          },
        },
      ],
      {
        concurrent: true,
        exitOnError: false,
        registerSignalListeners: false,
        renderer: "default",
        rendererOptions: {
          collapseErrors: false,
          showErrorMessage: false,
          formatOutput: "truncate",
          removeEmptyLines: true,
          pausedTimer: { condition: false, field: "", format: () => (text?: string) => text ?? "" },
        },
        fallbackRendererCondition: false,
      },
    );
    pending.forEach((row, i) => {
      row.listed = { task: listr.tasks[i]!, done: waits[i]!, invoked: false };
    });
    view = { done: listr.run().catch(() => {}), fold: { task: listr.tasks[pending.length]!, done: foldDone } };
  };

  // Ends the current view: rows not finished yet are hidden from it and come back in the next one.
  const closeView = async () => {
    if (!view) return;
    const current = view;
    view = undefined;
    for (const row of rows.values()) {
      if (!row.listed) continue;
      if (row.phase !== "done") {
        row.listed.task.title$ = "";
        row.listed.done.resolve();
      }
      row.listed = undefined;
    }
    // A row listr has not started yet finds its promise settled and its title empty when it does.
    current.fold.task.title$ = "";
    current.fold.done.resolve();
    await current.done;
  };

  const handle = (event: MityEvent) => {
    summary.record(event);
    if (event.event !== "start" && event.event !== "output" && event.event !== "end") return;
    const row = rows.get(event.task) ?? { name: event.task, phase: "waiting" as const };
    rows.set(event.task, row);
    if (event.event === "start") {
      row.phase = "running";
      if (row.listed?.invoked) row.listed.task.state$ = ListrTaskState.STARTED;
    } else if (event.event === "output") {
      if (event.line.trim() === "") return;
      row.lastLine = event.line;
      if (row.listed?.invoked) row.listed.task.output$ = event.line;
      return;
    } else {
      row.phase = "done";
      row.end = event;
      row.finishedAt = ++finishedCount;
      settle(row);
    }
    layout();
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
    },
  );
  open();
  return reporter;
}
