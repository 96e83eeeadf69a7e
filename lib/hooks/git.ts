import { execFile } from "node:child_process";
import { realpath as realpathCallback } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { MityError } from "../util/errors.js";

const execFileAsync = promisify(execFile);
// The callback form: node:fs/promises loads streams and readline with it, a cost of every hook run.
const realpath = promisify(realpathCallback);

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd`; a non-zero exit is returned, only a git that cannot start is thrown. */
async function runGit(cwd: string, args: readonly string[]): Promise<GitResult> {
  try {
    // A big index lists many staged files: the default 1 MB of output is not enough.
    const { stdout, stderr } = await execFileAsync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as NodeJS.ErrnoException & { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code === "number") return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    if (failed.code === "ENOENT") {
      // A missing cwd also fails as ENOENT, naming git: tell the two apart.
      const missingDir = await realpath(cwd).then(() => false, () => true);
      throw new MityError(missingDir ? `no such directory: ${cwd}` : "git was not found on PATH: git hooks need git", {}, { cause: error });
    }
    throw error;
  }
}

/** The first line git printed on stderr, to quote in a message. */
const gitSaid = (result: GitResult) => result.stderr.trim().split("\n")[0]?.replace(/^fatal: /, "") ?? "";

/** Runs git and returns its stdout; a failure is a MityError that says what git said. */
async function git(cwd: string, args: readonly string[]): Promise<string> {
  const result = await runGit(cwd, args);
  if (result.code === 0) return result.stdout;
  if (/not a git repository/i.test(result.stderr)) {
    throw new MityError(`${cwd} is not in a git repository, so it has no git hooks (run "git init" first)`);
  }
  throw new MityError(`git ${args.join(" ")} failed in ${cwd}: ${gitSaid(result) || `exit code ${result.code}`}`);
}

/**
 * The directory git runs hooks from for the repository holding `cwd`, as an absolute path (it may not
 * exist yet). Git answers: `core.hooksPath` (relative to the work tree root), the common git dir of a
 * worktree, a submodule's own git dir. Throws a MityError when `cwd` is not in a git repository.
 */
export async function hooksDir(cwd: string): Promise<string> {
  // Git prints the path relative to its real working directory, not to a symlinked `cwd`.
  const physical = await realpath(cwd).catch(() => cwd);
  const out = await git(physical, ["rev-parse", "--git-path", "hooks"]);
  return resolve(physical, out.replace(/\r?\n$/, ""));
}

/**
 * The top of the work tree holding `cwd` (where git runs hooks), as git prints it: an absolute, real path.
 * Throws a MityError outside a work tree (not a repository, a bare repository, inside `.git`).
 */
export async function workTreeRoot(cwd: string): Promise<string> {
  const out = await git(cwd, ["rev-parse", "--show-toplevel"]);
  return out.replace(/\r?\n$/, "");
}

/**
 * The staged paths (added, copied, modified, renamed; not deleted), relative to the repository root
 * whatever `cwd` is inside it. NUL-separated output keeps any name intact. Inside a hook git's own
 * `GIT_INDEX_FILE` (e.g. for `git commit -a`) is inherited, so the files being committed are the ones listed.
 */
export async function stagedFiles(cwd: string, knownRoot?: string): Promise<string[]> {
  // Outside a repository `git diff` would compare files (--no-index); from the root, names are root-relative.
  // A caller that already asked git for the root saves a second git process.
  const root = knownRoot ?? (await workTreeRoot(cwd));
  const out = await git(root, ["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"]);
  return out.split("\0").filter((name) => name !== "");
}
