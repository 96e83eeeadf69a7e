import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { collect, type Collected } from "../helpers/collect.js";

const execFileAsync = promisify(execFile);

// The machine's git config (a global core.hooksPath, signing) and a surrounding hook's GIT_* must not leak in.
for (const name of Object.keys(process.env)) if (name.startsWith("GIT_")) delete process.env[name];
process.env.GIT_CONFIG_NOSYSTEM = "1";
process.env.GIT_CONFIG_GLOBAL = "/dev/null";

/** PATH without any directory that holds a real `mity`, so only the fakes tests put in front are found. */
export const PATH_WITHOUT_MITY = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((dir) => dir !== "" && !existsSync(join(dir, "mity")))
  .join(delimiter);

/** Runs git in `cwd` and returns its stdout; a failure throws. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("git", args, { cwd, encoding: "utf8" });
  return stdout;
}

/** A fresh temp directory (real path: git prints real paths); removed when the test ends. */
export async function tempDir(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "mity-hooks-")));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A new git repository in `dir` with a local identity and no signing. */
export async function initRepo(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, "init", "-q");
  await git(dir, "config", "user.name", "Mity Test");
  await git(dir, "config", "user.email", "test@example.com");
  await git(dir, "config", "commit.gpgsign", "false");
  return dir;
}

/** Writes an executable sh script (parent directories made). */
export async function writeExecutable(path: string, body: string, mode = 0o755): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
}

/** A fake `mity` that appends `<label> <args...>`, its cwd and its stdin to `log`, then exits with `code`. */
export async function fakeMity(path: string, label: string, log: string, code = 0): Promise<void> {
  const body = [
    `printf '%s' '${label}' >> '${log}'`,
    `for arg in "$@"; do printf ' %s' "$arg" >> '${log}'; done`,
    `printf '\\ncwd %s\\n' "$PWD" >> '${log}'`,
    `sed 's/^/stdin /' >> '${log}'`,
    `exit ${code}`,
  ].join("\n");
  await writeExecutable(path, body);
}

export type Ran = Collected;

/** Runs `command` with `input` as its whole stdin (a pipe that ends), and collects what it printed. */
export function runWithInput(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<Ran> {
  return collect(command, args, { ...options, input: options.input ?? "" });
}
