import { formatDuration } from "../util/duration.js";
import type { EndEvent } from "../run/events.js";
import { byKind, ignore, type Reporter, type ReporterOptions } from "./reporter.js";
import { KEPT_CHARS, Summary } from "./summary.js";
import { Tail } from "./tail.js";
import { describeChange, describeReady } from "./watch-lines.js";

/** GitHub Actions reads these workflow commands; data in them must escape %, CR and LF. */
const escapeData = (text: string) => text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");

/**
 * Each task's output as one block when the task ends, so parallel tasks never interleave. Under GitHub
 * Actions a block is a collapsible `::group::` and a failure also an `::error::` annotation. A block
 * holds the last KEPT_CHARS of a task's output: the whole of it is in the run log.
 */
export function groupedReporter(options: ReporterOptions & { githubActions: boolean }): Reporter {
  const { style, out, verbosity, githubActions } = options;
  const summary = new Summary(options);
  const blocks = new Map<string, Tail>();
  const push = (task: string, line: string) => {
    let block = blocks.get(task);
    if (!block) blocks.set(task, (block = new Tail(KEPT_CHARS)));
    block.push(line);
  };
  const endBlock = (event: EndEvent) => {
    if (event.state === "skipped") return;
    const block = blocks.get(event.task);
    blocks.delete(event.task);
    const { lines, dropped } = block?.kept() ?? { lines: [], dropped: 0 };
    if (dropped) lines.unshift(style.dim(`… ${dropped} earlier lines not kept${logNote(options)}`));
    const failed = event.state === "failed";
    if (verbosity === "silent" && !failed) return;
    const head = `${event.task} ${event.state} (${formatDuration(event.duration)})${event.reason && event.state !== "ok" ? `: ${event.reason}` : ""}`;
    const body = lines.length ? `${lines.join("\n")}\n` : "";
    if (githubActions) {
      out(`::group::${head}\n${body}::endgroup::\n`);
      if (failed) out(`::error title=${escapeData(`mity: ${event.task} failed`)}::${escapeData(event.reason ?? "failed")}\n`);
    } else {
      const mark = failed ? style.red(`── ${head} ──`) : event.state === "ok" ? style.green(`── ${head} ──`) : style.yellow(`── ${head} ──`);
      out(`${mark}\n${body}`);
    }
  };
  const handle = byKind({
    // A block says when its task ended, not when it started.
    start: ignore,
    command: (event) => {
      if (verbosity === "verbose") push(event.task, style.dim(`$ ${event.command}`));
    },
    output: (event) => push(event.task, event.line),
    // The same output comes as `output` lines.
    chunk: ignore,
    end: endBlock,
    // A service's readiness belongs in its block; a change is said at once, between blocks.
    ready: (event) => push(event.task, style.green(describeReady(event))),
    change: (event) => {
      if (verbosity !== "silent") options.err(`mity: ${describeChange(event)}\n`);
    },
    // The summary prints it.
    summary: ignore,
  });
  return (event) => {
    summary.record(event);
    handle(event);
  };
}

/** Where the whole output is, when the run log has it. */
function logNote(options: ReporterOptions): string {
  const dir = options.logDir?.();
  return dir === undefined ? "" : ` (all of it: ${dir})`;
}
