import type { EndEvent, MityEvent } from "../run/events.js";
import type { TaskState } from "../types.js";
import { formatDuration } from "../util/duration.js";
import { byKind, ignore, type ReporterOptions } from "./reporter.js";
import { Tail } from "./tail.js";

/** Most output kept per task for showing a failure again; the oldest lines go first. */
export const KEPT_CHARS = 1024 * 1024;
const SLOWEST = 3;

/**
 * Keeps the tail of each running task's output, the ends that did not go well and the slowest ones, and
 * prints the end-of-run summary with failed tasks' output again. A task that did not fail has its tail
 * dropped when it ends: memory grows with the tasks running and failed, not with the run's output or
 * its number of tasks. A task that ended more than once (restarted) counts by its last end.
 */
export class Summary {
  #output = new Map<string, Tail>();
  /** The last end of each task that failed, was cancelled or skipped, in the order they ended. */
  #notOk = new Map<string, EndEvent>();
  /** The slowest ends so far, slowest first, at most SLOWEST. */
  #slowest: EndEvent[] = [];

  constructor(private readonly options: ReporterOptions) {}

  /** Takes in one event of the run; the summary event prints. */
  readonly record: (event: MityEvent) => void = byKind({
    start: ignore,
    command: ignore,
    output: (event) => {
      let kept = this.#output.get(event.task);
      if (!kept) this.#output.set(event.task, (kept = new Tail(KEPT_CHARS)));
      kept.push(event.line);
    },
    // The same output comes as `output` lines.
    chunk: ignore,
    // Each end of a thousand quick tasks passes here: what is not needed is not done.
    end: (event) => {
      if (this.#notOk.size > 0) this.#notOk.delete(event.task);
      if (event.state !== "ok" && event.state !== "up-to-date") this.#notOk.set(event.task, event);
      this.#keepIfSlow(event);
      if (event.state !== "failed" && this.#output.size > 0) this.#output.delete(event.task);
    },
    // The run's reporter says these as they come; the summary is about how tasks ended.
    ready: ignore,
    change: ignore,
    summary: (event) => this.#print(event.state, event.duration, event.counts),
  });

  // Plain loops over at most three: no callback per end.
  #keepIfSlow(end: EndEvent): void {
    const slowest = this.#slowest;
    for (let at = 0; at < slowest.length; at++) if (slowest[at]!.task === end.task) slowest.splice(at--, 1);
    if (end.duration <= 0) return;
    // Before the first that took less: of two that took as long, the one that ended first stays first.
    let at = 0;
    while (at < slowest.length && slowest[at]!.duration >= end.duration) at++;
    if (at >= SLOWEST) return;
    slowest.splice(at, 0, end);
    if (slowest.length > SLOWEST) slowest.length = SLOWEST;
  }

  #print(state: string, duration: number, counts: Record<TaskState, number>): void {
    const { style, err } = this.options;
    const lines: string[] = [];
    const ends = [...this.#notOk.values()];
    for (const failed of ends.filter((end) => end.state === "failed")) {
      const kept = this.#output.get(failed.task);
      lines.push("", style.red(style.bold(`── output of ${failed.task} (failed) ──`)));
      const { lines: output, dropped } = kept?.kept() ?? { lines: [], dropped: 0 };
      if (dropped) lines.push(style.dim(`… ${dropped} earlier lines not kept`));
      // A loop, not push(...lines): spreading a hundred thousand lines overflows the stack.
      if (output.length > 0) for (const line of output) lines.push(line);
      else lines.push(style.dim("(no output)"));
      if (failed.stack && this.options.verbosity === "verbose") lines.push(style.dim(failed.stack));
    }
    // Silent runs name only what went wrong; skipped tasks are news only when something failed.
    const failing = ends.some((end) => end.state === "failed" || end.state === "cancelled");
    const quiet = this.options.verbosity === "silent" && !failing;
    const notOk = quiet ? [] : ends;
    if (notOk.length > 0 || this.options.verbosity !== "silent") lines.push("");
    const width = Math.max(0, ...notOk.map((end) => end.task.length));
    const marks: Partial<Record<TaskState, string>> = { failed: style.red("✖ failed   "), cancelled: style.yellow("■ cancelled"), skipped: style.gray("○ skipped  ") };
    for (const end of notOk) {
      const took = end.state === "skipped" ? "" : style.dim(` (${formatDuration(end.duration)})`);
      lines.push(`${marks[end.state] ?? end.state} ${end.task.padEnd(width)}  ${end.reason ?? ""}${took}`);
    }
    if (this.options.verbosity !== "silent" || notOk.length > 0) {
      const parts = (Object.keys(counts) as TaskState[]).filter((key) => counts[key] > 0).map((key) => `${counts[key]} ${key}`);
      const head = state === "ok" ? style.green("✔ mity: ok") : style.red(`✖ mity: ${state}`);
      lines.push(`${head} · ${parts.join(", ") || "nothing to do"} · ${formatDuration(duration)}`);
      const slowest = this.#slowest;
      if (slowest.length > 1 && this.options.verbosity !== "silent") {
        lines.push(style.dim(`  slowest: ${slowest.map((end) => `${end.task} ${formatDuration(end.duration)}`).join(", ")}`));
      }
      const logDir = this.options.logDir?.();
      if (logDir && (notOk.length > 0 || this.options.verbosity === "verbose")) {
        lines.push(style.dim(`  full output of each task: ${logDir}`));
      }
    }
    if (lines.length > 0) err(lines.join("\n") + "\n");
  }
}
