import { formatDuration } from "../util/duration.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { Summary } from "./summary.js";

/** GitHub Actions reads these workflow commands; data in them must escape %, CR and LF. */
const escapeData = (text: string) => text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");

/**
 * Each task's output as one block when the task ends, so parallel tasks never interleave. Under GitHub
 * Actions a block is a collapsible `::group::` and a failure also an `::error::` annotation.
 */
export function groupedReporter(options: ReporterOptions & { githubActions: boolean }): Reporter {
  const { style, out, verbosity, githubActions } = options;
  const summary = new Summary(options);
  const blocks = new Map<string, string[]>();
  return (event) => {
    summary.record(event);
    if (event.event === "output" || (event.event === "command" && verbosity === "verbose")) {
      const lines = blocks.get(event.task) ?? [];
      lines.push(event.event === "output" ? event.line : style.dim(`$ ${event.command}`));
      blocks.set(event.task, lines);
      return;
    }
    if (event.event !== "end" || event.state === "skipped") return;
    const lines = blocks.get(event.task) ?? [];
    blocks.delete(event.task);
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
