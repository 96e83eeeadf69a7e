import { Listr, ListrTaskState, type DefaultRenderer, type SimpleRenderer, type ListrTaskWrapper } from "listr2";
import type { EndEvent, MityEvent } from "../run/events.js";
import { formatDuration } from "../util/duration.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { Summary } from "./summary.js";

type Wrapper = ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;

/** One task's row in the view: its listr task waits on a promise that our `end` event settles. */
interface Row {
  name: string;
  wrapper?: Wrapper | undefined;
  phase: "waiting" | "running" | "done";
  end?: EndEvent;
  lastLine?: string;
  settle?: () => void;
  finishedAt?: number;
}

export interface TtyOptions extends ReporterOptions {
  /** Terminal height: the view never draws more rows than fit. */
  rows: () => number;
}

/**
 * The live terminal view, drawn by listr2 from the scheduler's events: running tasks spin with their
 * latest output line, waiting ones are dimmed, finished ones show their duration, failed ones are
 * marked. Rows that do not fit the terminal fold into one line. listr2 runs nothing and owns no signals.
 */
export function ttyReporter(options: TtyOptions): Reporter {
  const { style } = options;
  const summary = new Summary(options);
  const rows = new Map<string, Row>(options.tasks.map((name) => [name, { name, phase: "waiting" }]));
  let finishedCount = 0;
  let view: { listr: Listr<unknown, "default", "simple">; done: Promise<unknown>; fold: { wrapper?: Wrapper; settle?: () => void } } | undefined;

  const title = (row: Row): string => {
    if (row.phase === "waiting") return style.dim(`${row.name}  waiting`);
    if (row.phase === "running") return style.bold(row.name);
    const took = row.end!.state === "skipped" ? "" : ` ${style.dim(formatDuration(row.end!.duration))}`;
    const why = row.end!.state === "ok" || row.end!.state === "up-to-date" ? "" : `  ${style.dim(row.end!.reason ?? row.end!.state)}`;
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
    for (const row of rows.values()) if (row.wrapper) row.wrapper.title = shown.has(row) ? title(row) : "";
    if (view.fold.wrapper) view.fold.wrapper.title = foldTitle(shown);
  };

  const open = () => {
    const pending = [...rows.values()].filter((row) => row.phase !== "done");
    const fold: { wrapper?: Wrapper; settle?: () => void } = {};
    // The first frame must already fit the terminal: lines scrolled off cannot be redrawn.
    const shown = visibleRows();
    const listrTasks = [
      ...pending.map((row) => ({
        title: shown.has(row) ? title(row) : "",
        task: (_: unknown, wrapper: Wrapper) =>
          new Promise<void>((resolve, reject) => {
            row.wrapper = wrapper;
            if (row.phase === "waiting") wrapper.task.state$ = ListrTaskState.PAUSED;
            if (row.lastLine !== undefined) wrapper.output = row.lastLine;
            row.settle = () => {
              const end = row.end;
              if (!end || end.state === "ok" || end.state === "up-to-date") return resolve();
              if (end.state === "failed") return reject(new Error(end.reason ?? "failed"));
              wrapper.skip(title(row));
              resolve();
            };
            if (row.end) row.settle();
            layout();
          }),
      })),
      {
        title: foldTitle(shown),
        task: (_: unknown, wrapper: Wrapper) =>
          new Promise<void>((resolve) => {
            fold.wrapper = wrapper;
            wrapper.task.state$ = ListrTaskState.PAUSED;
            fold.settle = resolve;
          }),
      },
    ];
    const listr = new Listr<unknown, "default", "simple">(listrTasks, {
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
    });
    view = { listr, done: listr.run().catch(() => {}), fold };
  };

  // Ends the current view: rows not finished yet are hidden from it and come back in the next one.
  const closeView = async () => {
    if (!view) return;
    const current = view;
    view = undefined;
    for (const row of rows.values()) {
      if (row.phase === "done") continue;
      if (row.wrapper) row.wrapper.title = "";
      if (row.wrapper) row.wrapper.task.state$ = ListrTaskState.COMPLETED;
      row.wrapper = undefined;
    }
    current.fold.wrapper && (current.fold.wrapper.title = "");
    current.fold.settle?.();
    for (const row of rows.values()) if (row.phase !== "done") row.settle?.();
    await current.done;
  };

  const handle = (event: MityEvent) => {
    summary.record(event);
    if (event.event === "start" || event.event === "output" || event.event === "end") {
      const row = rows.get(event.task) ?? { name: event.task, phase: "waiting" as const };
      rows.set(event.task, row);
      if (event.event === "start") row.phase = "running";
      if (event.event === "output" && event.line.trim() !== "") {
        row.lastLine = event.line;
        if (row.wrapper) row.wrapper.output = event.line;
      }
      if (event.event === "end") {
        row.phase = "done";
        row.end = event;
        row.finishedAt = ++finishedCount;
        if (row.wrapper) row.wrapper.task.state$ = ListrTaskState.STARTED;
        row.settle?.();
      } else if (event.event === "start" && row.wrapper) {
        row.wrapper.task.state$ = ListrTaskState.STARTED;
      }
      layout();
    }
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
