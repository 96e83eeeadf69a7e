// What the bench scripts share as command-line programs: options, failing, and a temp workspace.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stopCurrent } from "./measure.mjs";

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/**
 * Parses `argv`: `-h`/`--help` prints `usage`; `counts` maps an option to [key, least value]; `values`
 * maps an option taking a word to its key; `--keep` is always known; other words are `names` when
 * `positional` is set.
 */
export function parseOptions(argv, { usage, defaults, counts = {}, values = {}, positional = false }) {
  const options = { keep: false, names: [], ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      console.log(usage);
      process.exit(0);
    } else if (arg === "--keep") options.keep = true;
    else if (counts[arg]) {
      const [key, min] = counts[arg];
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < min) fail(`${arg} takes a whole number of at least ${min}, not ${argv[i]}`);
      options[key] = value;
    } else if (values[arg]) options[values[arg]] = argv[++i];
    else if (arg.startsWith("-") || !positional) fail(`unknown option ${arg}\n\n${usage}`);
    else options.names.push(arg);
  }
  return options;
}

/** A temp folder for one bench run, removed at the end (unless kept) and on Ctrl-C. */
export function workspace(prefix, keep) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const scratch = join(root, ".scratch");
  mkdirSync(scratch);
  const cleanup = () => {
    if (!keep) rmSync(root, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    stopCurrent();
    cleanup();
    process.exit(130);
  });
  return { root, scratch, cleanup };
}
