import type { Reporter, ReporterOptions } from "./reporter.js";
import { Summary } from "./summary.js";

/** Task output as it comes, with nothing added but the summary at the end. */
export function rawReporter(options: ReporterOptions): Reporter {
  const summary = new Summary(options);
  return (event) => {
    summary.record(event);
    if (event.event === "output" && options.verbosity !== "silent") {
      (event.stream === "stderr" ? options.err : options.out)(`${event.line}\n`);
    } else if (event.event === "command" && options.verbosity === "verbose") {
      options.err(`$ ${event.command}\n`);
    }
  };
}
