import { groupedReporter } from "./grouped.js";
import { jsonReporter } from "./json.js";
import { prefixReporter } from "./prefix.js";
import { rawReporter } from "./raw.js";
import type { Reporter, ReporterOptions } from "./reporter.js";

export const OUTPUT_MODES = ["auto", "tty", "prefix", "grouped", "raw", "json"] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** The reporter of an output mode; the terminal view (and listr2) is loaded only when used. */
export async function createReporter(
  mode: Exclude<OutputMode, "auto">,
  options: ReporterOptions & { rows?: () => number; githubActions?: boolean },
): Promise<Reporter> {
  switch (mode) {
    case "grouped":
      return groupedReporter({ ...options, githubActions: options.githubActions ?? false });
    case "tty": {
      const { ttyReporter } = await import("./tty.js");
      return ttyReporter({ ...options, rows: options.rows ?? (() => 24) });
    }
    case "json":
      return jsonReporter(options);
    case "raw":
      return rawReporter(options);
    default:
      return prefixReporter(options);
  }
}
