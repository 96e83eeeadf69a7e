import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { collect, type Collected } from "./collect.js";

/** The real command line, as users run it. */
export const MITY_BIN = fileURLToPath(new URL("../../bin/mity.js", import.meta.url));

/** The cache index that the command line (one install of mity) wrote for a mityfile in `cacheDir`. */
export function cacheIndexIn(cacheDir: string, mityfile = "mityfile.ts"): { output: string; script?: string; self: string } {
  const pattern = new RegExp(`^${mityfile.replaceAll(".", "\\.")}\\.[0-9a-f]{16}\\.json$`);
  const names = readdirSync(cacheDir).filter((name) => pattern.test(name));
  if (names.length !== 1) throw new Error(`expected one cache index in ${cacheDir}, found: ${names.join(", ") || "none"}`);
  return JSON.parse(readFileSync(join(cacheDir, names[0]!), "utf8")) as { output: string; script?: string; self: string };
}

export interface Teardown {
  teardown(fn: () => void): void;
}

/**
 * A directory tree of real files under the system temp folder (outside this repository, so the upward
 * search for a mityfile cannot find mity's own), removed when the test ends.
 */
export function tempTree(t: Teardown, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "mity-test-"));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) writeTreeFile(root, path, text);
  return root;
}

/** Writes one file of a temp tree, making its folders. */
export function writeTreeFile(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

export type MityRun = Collected;

export interface MityOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Called once the process has started, e.g. to send it a signal later. */
  onSpawn?: (pid: number) => void;
  timeoutMs?: number;
}

/** Spawns `bin/mity.js` with a clean environment: no colour, no CI, a home with no global mityfile. */
export function runMity(args: readonly string[], options: MityOptions): Promise<MityRun> {
  const home = join(options.cwd, ".home");
  const env: Record<string, string | undefined> = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    NO_COLOR: "1",
    CI: undefined,
    GITHUB_ACTIONS: undefined,
    FORCE_COLOR: undefined,
    // tap's process tracker (loaded through NODE_OPTIONS) would double every mity start in the tests.
    NODE_OPTIONS: undefined,
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return collect(process.execPath, [MITY_BIN, ...args], { cwd: options.cwd, env, timeoutMs: options.timeoutMs ?? 30000, onSpawn: options.onSpawn });
}

/** The JSON events of a `--output json` run. */
export function events(stdout: string): Record<string, unknown>[] {
  return stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}
