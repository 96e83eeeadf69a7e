import { MityError } from "../util/errors.js";

/**
 * How a run behaves, normalised once at the top (the API's `run()`) with every default applied, and
 * passed down as it is to the scheduler and each task's work. A new run option is one field here.
 */
export interface RunSettings {
  /** Run the named tasks, and deps of tasks that leave `concurrent` unset, at the same time. */
  parallel: boolean;
  /** Most tasks running at once (default: the number of CPUs). */
  concurrency: number;
  /** After a failure, keep starting tasks that do not depend on a failed one. */
  keepGoing: boolean;
  /** After a failure, stop the running tasks too. */
  failFast: boolean;
  /** Milliseconds between SIGTERM and SIGKILL when tasks are stopped (default 5000). */
  graceMs: number;
  /** Words passed to run functions as `ctx.args` (on the command line, the words after `--`). */
  args: readonly string[];
}

/** Run settings as a caller gives them: each may be left out, or undefined, for its default. */
export type GivenSettings = { [K in keyof RunSettings]?: RunSettings[K] | undefined };

/** The names of the settings, for taking them out of a larger object. */
export const SETTING_NAMES = ["parallel", "concurrency", "keepGoing", "failFast", "graceMs", "args"] as const satisfies readonly (keyof RunSettings)[];

/** The settings with their defaults applied and checked; `cpus` is the default concurrency. */
export function runSettings(given: GivenSettings, cpus: number): RunSettings {
  const concurrency = given.concurrency ?? cpus;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new MityError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  const graceMs = given.graceMs ?? 5000;
  if (!(graceMs >= 0)) throw new MityError(`graceMs must be a number of milliseconds, 0 or more, not ${graceMs}`);
  return {
    parallel: given.parallel ?? false,
    concurrency,
    keepGoing: given.keepGoing ?? false,
    failFast: given.failFast ?? false,
    graceMs,
    args: given.args ?? [],
  };
}

/** The settings a larger object (a command-line request) holds, as given. */
export function givenSettings(source: GivenSettings): GivenSettings {
  const given: GivenSettings = {};
  for (const name of SETTING_NAMES) (given as Record<string, unknown>)[name] = source[name];
  return given;
}
