import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The commit checked out in the repository holding `dir` (what `git rev-parse HEAD` says), read from
 * git's own files rather than by starting git: it costs a few file reads at the end of a run.
 */
export function gitRevision(dir: string): string | undefined {
  try {
    const gitDir = findGitDir(dir);
    return gitDir === undefined ? undefined : headOf(gitDir);
  } catch {
    return undefined;
  }
}

function findGitDir(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, ".git");
    const stat = statSync(dotGit, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return dotGit;
    // A worktree or a submodule: `.git` is a file naming the real folder.
    if (stat?.isFile()) return resolve(dir, /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))![1]!.trim());
    if (dirname(dir) === dir) return undefined;
  }
}

const HASH = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function headOf(gitDir: string): string | undefined {
  const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
  if (!head.startsWith("ref: ")) return HASH.test(head) ? head : undefined;
  const ref = head.slice(5).trim();
  // A worktree keeps its HEAD; the branches live in the common folder.
  const common = resolve(gitDir, readOptional(join(gitDir, "commondir"))?.trim() ?? ".");
  for (const base of new Set([gitDir, common])) {
    const loose = readOptional(join(base, ref))?.trim();
    if (loose !== undefined && HASH.test(loose)) return loose;
  }
  const packed = readOptional(join(common, "packed-refs")) ?? "";
  for (const line of packed.split("\n")) {
    const [hash, name] = line.split(" ");
    if (name === ref && hash !== undefined && HASH.test(hash)) return hash;
  }
  return undefined;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
