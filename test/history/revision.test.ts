import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { gitRevision } from "../../lib/history/revision.js";

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();

t.test("the revision is what git rev-parse HEAD says: from a subfolder, once packed, detached, in a worktree", async (t) => {
  const root = t.testdir();
  const repo = join(root, "repo");
  mkdirSync(join(repo, "sub"), { recursive: true });
  git(repo, "init", "-q");
  writeFileSync(join(repo, "file"), "one");
  git(repo, "add", "file");
  git(repo, "commit", "-qm", "one");
  const head = git(repo, "rev-parse", "HEAD");
  t.equal(gitRevision(join(repo, "sub")), head);
  git(repo, "pack-refs", "--all");
  t.equal(gitRevision(repo), head, "packed refs");
  git(repo, "commit", "-q", "--allow-empty", "-m", "two");
  git(repo, "worktree", "add", "-q", join(root, "other"), "HEAD~1");
  t.equal(gitRevision(join(root, "other")), head, "a worktree, detached");
  git(join(root, "other"), "switch", "-q", "-c", "side");
  t.equal(gitRevision(join(root, "other")), head, "a worktree's own branch");
  t.equal(gitRevision(repo), git(repo, "rev-parse", "HEAD"));
});

t.test("outside a repository, or in one with no commit, there is none", async (t) => {
  const root = t.testdir();
  git(root, "init", "-q");
  t.equal(gitRevision(root), undefined);
});
