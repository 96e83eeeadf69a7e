import { groupedReporter } from "./grouped.js";
import { jsonReporter } from "./json.js";
import { prefixReporter } from "./prefix.js";
import { rawReporter } from "./raw.js";
import type { Reporter, ReporterOptions } from "./reporter.js";

export const OUTPUT_MODES = ["auto", "tty", "prefix", "grouped", "raw", "json"] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** `auto`: the live view on a terminal outside CI, prefixed lines otherwise; `tty` only where a terminal is. */
export function resolveMode(
  requested: OutputMode,
  stdout: { isTTY?: boolean | undefined; columns?: number | undefined },
  env: NodeJS.ProcessEnv,
): Exclude<OutputMode, "auto"> {
  // A terminal of no known width (a bare pseudo-terminal) cannot hold a live view.
  const terminal = Boolean(stdout.isTTY) && Boolean(stdout.columns) && env.TERM !== "dumb";
  if (requested === "auto") return terminal && !env.CI ? "tty" : "prefix";
  if (requested === "tty" && !terminal) return "prefix";
  return requested;
}

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
