import { byKind, ignore, type Reporter, type ReporterOptions } from "./reporter.js";

/**
 * One JSON object per line per event on `out`, nothing else there (commands only with `--verbose`).
 * Output comes as `output` lines; the `chunk` events that carry the same bytes are left out.
 */
export function jsonReporter(options: ReporterOptions): Reporter {
  const print = (event: object) => options.out(`${JSON.stringify(event)}\n`);
  return byKind({
    start: print,
    command: (event) => {
      if (options.verbosity === "verbose") print(event);
    },
    output: print,
    chunk: ignore,
    end: print,
    ready: print,
    change: print,
    summary: print,
  });
}
