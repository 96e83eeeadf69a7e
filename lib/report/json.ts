import type { Reporter, ReporterOptions } from "./reporter.js";

/**
 * One JSON object per line per event on `out`, nothing else there (commands only with `--verbose`).
 * Output comes as `output` lines; the `chunk` events that carry the same bytes are left out.
 */
export function jsonReporter(options: ReporterOptions): Reporter {
  return (event) => {
    if (event.event === "chunk" || (event.event === "command" && options.verbosity !== "verbose")) return;
    options.out(`${JSON.stringify(event)}\n`);
  };
}
