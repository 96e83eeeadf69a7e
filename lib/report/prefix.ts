import { formatDuration } from "../util/duration.js";
import { TASK_COLORS } from "../util/style.js";
import { byKind, ignore, type Reporter, type ReporterOptions } from "./reporter.js";
import { Summary } from "./summary.js";
import { describeChange, describeReady } from "./watch-lines.js";

/** Every line as `[task] line`, a start and an end line per task, then the summary: for logs and CI. */
export function prefixReporter(options: ReporterOptions): Reporter {
  const { style, out, err, verbosity } = options;
  // A loop, not Math.max(...names): spreading 100,000 arguments overflows the stack.
  let width = 0;
  for (const name of options.tasks) width = Math.max(width, Math.min(24, name.length));
  const tags = new Map<string, string>();
  const tag = (task: string) => {
    let value = tags.get(task);
    if (value === undefined) {
      const color = TASK_COLORS[tags.size % TASK_COLORS.length]!;
      value = style[color](`[${task}]`) + " ".repeat(Math.max(0, width - task.length));
      tags.set(task, value);
    }
    return value;
  };
  const summary = new Summary(options);
  const quiet = verbosity === "silent";
  const handle = byKind({
    start: (event) => {
      // A second attempt (retries) or a restart says which, so the lines of two attempts are told apart.
      const attempt = event.attempt !== undefined && event.attempt > 1 ? ` (attempt ${event.attempt})` : "";
      if (!quiet) out(`${tag(event.task)} ${style.dim(`started${attempt}`)}\n`);
    },
    command: (event) => {
      if (verbosity === "verbose") out(`${tag(event.task)} ${style.dim(`$ ${event.command}`)}\n`);
    },
    output: (event) => {
      if (!quiet) (event.stream === "stderr" ? err : out)(`${tag(event.task)} ${event.line}\n`);
    },
    // The same output comes as `output` lines.
    chunk: ignore,
    end: (event) => {
      if (quiet || event.state === "skipped") return;
      const mark = event.state === "ok" ? style.green("ok") : event.state === "failed" ? style.red("failed") : style.yellow(event.state);
      const reason = event.reason && event.state !== "ok" ? `: ${event.reason}` : "";
      out(`${tag(event.task)} ${mark}${reason} ${style.dim(`(${formatDuration(event.duration)})`)}\n`);
    },
    ready: (event) => {
      if (!quiet) out(`${tag(event.task)} ${style.green(describeReady(event))}\n`);
    },
    change: (event) => {
      if (!quiet) err(`${style.cyan(`mity: ${describeChange(event)}`)}\n`);
    },
    // The summary prints it.
    summary: ignore,
  });
  return (event) => {
    summary.record(event);
    handle(event);
  };
}
