import { existsSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isatty } from "node:tty";
import { pathToFileURL } from "node:url";
import { globalDir } from "../config/find.js";
import { importModule } from "../util/import-module.js";
import { mityPackageDir, mityVersion } from "../util/package.js";
import { scanLoadWords } from "./task-options.js";

const packageDir = mityPackageDir();

/**
 * The project the command line acts on: where `-f` puts the mityfile (relative to `-C`), else the
 * folder of your own mityfile with `-g`, else `-C`, else here (as findMityfile chooses).
 */
function startDir(argv: readonly string[]): string {
  const where = scanLoadWords(argv);
  const base = resolve(where.cwd ?? ".");
  if (where.mityfile !== undefined) return dirname(resolve(base, where.mityfile));
  return where.global ? globalDir() : base;
}

/** The project's own mity, when it has one that is not this copy. */
function projectMity(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, "node_modules", "mity");
    if (existsSync(join(candidate, "dist", "cli.js"))) {
      const real = realpathSync(candidate);
      return real === packageDir ? undefined : real;
    }
    if (dirname(current) === current) return undefined;
  }
}

/** Runs the command line of this process. `bin/mity.js` gets here through `lib/cli.ts`, which loads the bundle. */
export async function start(): Promise<void> {
  const argv = process.argv.slice(2);
  // With --verbose, stack traces point into the mityfile's own lines rather than its compiled copy.
  if (argv.includes("-v") || argv.includes("--verbose")) (await import("../config/load.js")).mapStackTraces(true);
  const local = process.env.MITY_IGNORE_LOCAL ? undefined : projectMity(startDir(argv));
  if (local) {
    // That copy's own entry, so it starts the way it was built to.
    await importModule(pathToFileURL(join(local, "bin", "mity.js")).href);
    return;
  }
  // A stream that cannot be written (a full disk, a reader gone) takes nothing more; a run stops on it by
  // itself (its writers say why), any other command ends with exit code 1 rather than a stack trace.
  let unwritable = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", () => {
      unwritable = true;
      process.exitCode ||= 1;
      stream.write = (() => true) as typeof stream.write;
    });
  }
  const { main, reportLateErrors } = await import("./main.js");
  const version = mityVersion();
  process.exitCode = await main({
    argv,
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signals: process,
    // isatty, not process.stdin.isTTY: making the stdin stream costs a start ~2 ms, and most runs never read it.
    ...(isatty(0)
      ? { prompt: async (task: string, question: string) => (await import("./prompt.js")).askYesNo({ input: process.stdin, output: process.stderr }, task, question) }
      : {}),
    version,
  });
  reportLateErrors(process, { stderr: process.stderr, cwd: process.cwd() }, (code) => (process.exitCode = code));
  if (unwritable && process.exitCode === 0) process.exitCode = 1;
  // The run is over: a run function that ignored its cancellation may still hold timers. Give output
  // a moment to drain, then leave (the timer does not itself keep mity alive).
  setTimeout(() => process.exit(), 1000).unref();
}
