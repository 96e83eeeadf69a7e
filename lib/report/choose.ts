import { jsonReporter } from "./json.js";
import { prefixReporter } from "./prefix.js";
import { rawReporter } from "./raw.js";
import type { Reporter, ReporterOptions } from "./reporter.js";

export const OUTPUT_MODES = ["auto", "tty", "prefix", "grouped", "raw", "json"] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** The reporter of an output mode. The terminal view and grouped blocks are not built yet: they fall back to prefix. */
export function createReporter(mode: OutputMode, options: ReporterOptions): Reporter {
  switch (mode) {
    case "json":
      return jsonReporter(options);
    case "raw":
      return rawReporter(options);
    default:
      return prefixReporter(options);
  }
}
