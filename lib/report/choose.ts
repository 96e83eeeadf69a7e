import { groupedReporter } from "./grouped.js";
import { jsonReporter } from "./json.js";
import { prefixReporter } from "./prefix.js";
import { rawReporter } from "./raw.js";
import type { Reporter, ReporterOptions } from "./reporter.js";

/** What every reporter is made from: the common options and the facts of the terminal it writes to. */
export interface ChooseOptions extends ReporterOptions {
  /** Terminal height, for a live view (default 24). */
  rows?: (() => number) | undefined;
  /** Terminal width, for a live view (default 80). */
  columns?: (() => number) | undefined;
  /** Under GitHub Actions, grouped output is folded into `::group::` blocks. */
  githubActions?: boolean | undefined;
}

/** What mity knows of an output mode, and how it makes its reporter. */
export interface ModeEntry {
  /** Draws a live view in place: needs a terminal, writes straight to it, and lists tasks in run order. */
  live: boolean;
  /** For programs to read: nothing but its own lines, not even a note that the run is stopping. */
  machine: boolean;
  make: (options: ChooseOptions) => Reporter | Promise<Reporter>;
}

/**
 * Every output mode by name, the one list of them: `--output`, `run({ output })` and the settings file
 * take their names from here. The terminal view (and listr2) is loaded only when used.
 */
export const REPORTERS = {
  tty: {
    live: true,
    machine: false,
    make: async (options) => (await import("./tty.js")).ttyReporter({ ...options, rows: options.rows ?? (() => 24) }),
  },
  prefix: { live: false, machine: false, make: prefixReporter },
  grouped: { live: false, machine: false, make: (options) => groupedReporter({ ...options, githubActions: options.githubActions ?? false }) },
  raw: { live: false, machine: false, make: rawReporter },
  json: { live: false, machine: true, make: jsonReporter },
} as const satisfies Record<string, ModeEntry>;

/** An output mode that has a reporter of its own. */
export type ReporterMode = keyof typeof REPORTERS;
/** An output mode as asked for: `auto` picks one of the others for the terminal at hand. */
export type OutputMode = "auto" | ReporterMode;

export const OUTPUT_MODES: readonly OutputMode[] = ["auto", ...(Object.keys(REPORTERS) as ReporterMode[])];

/** `auto`: the live view on a terminal outside CI, prefixed lines otherwise; a live view only where a terminal is. */
export function resolveMode(
  requested: OutputMode,
  stdout: { isTTY?: boolean | undefined; columns?: number | undefined },
  env: Readonly<Record<string, string | undefined>>,
): ReporterMode {
  // A terminal of no known width (a bare pseudo-terminal) cannot hold a live view.
  const terminal = Boolean(stdout.isTTY) && Boolean(stdout.columns) && env.TERM !== "dumb";
  if (requested === "auto") return terminal && !env.CI ? "tty" : "prefix";
  if (REPORTERS[requested].live && !terminal) return "prefix";
  return requested;
}

/** The reporter of an output mode. */
export function createReporter(mode: ReporterMode, options: ChooseOptions): Promise<Reporter> {
  return Promise.resolve((REPORTERS[mode] as ModeEntry).make(options));
}
