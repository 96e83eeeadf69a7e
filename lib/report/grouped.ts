import { formatDuration } from "../util/duration.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
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
  return (event) => {
    summary.record(event);
    if (event.event === "output" || (event.event === "command" && verbosity === "verbose")) {
      let block = blocks.get(event.task);
      if (!block) blocks.set(event.task, (block = new Tail(KEPT_CHARS)));
      block.push(event.event === "output" ? event.line : style.dim(`$ ${event.command}`));
      return;
    }
    if (event.event === "change" || event.event === "ready") {
      // A service's readiness belongs in its block; a change is said at once, between blocks.
      if (event.event === "ready") (blocks.get(event.task) ?? blocks.set(event.task, new Tail(KEPT_CHARS)).get(event.task)!).push(style.green(describeReady(event)));
      else if (verbosity !== "silent") options.err(`mity: ${describeChange(event)}\n`);
      return;
    }
    if (event.event !== "end" || event.state === "skipped") return;
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
}

/** Where the whole output is, when the run log has it. */
function logNote(options: ReporterOptions): string {
  const dir = options.logDir?.();
  return dir === undefined ? "" : ` (all of it: ${dir})`;
}
