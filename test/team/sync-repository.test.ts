import t from "tap";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { quietGit } from "../../lib/team/git.js";
import { cloneRepository, updateRepository } from "../../lib/team/sync-repository.js";
import { gitEnv, Repos } from "./repos.js";

t.jobs = 3;

/** A clone of a one-commit remote, and what updating it says or throws. */
async function cloned(t: { teardown(fn: () => void): void }, ref?: string) {
  const repos = new Repos(t);
  const url = await repos.remote("lab", { "a.txt": "a\n" });
  const git = quietGit(gitEnv(repos.home));
  const repository = { path: join(repos.base, "work", "lab"), git: url, ref, field: "include.lab" };
  const said: string[] = [];
  await cloneRepository(repository, git, (text) => said.push(text));
  const update = async (changes: Partial<typeof repository> = {}) => {
    const lines: string[] = [];
    await updateRepository({ ...repository, ...changes }, git, (text) => lines.push(text));
    return lines.join("\n");
  };
  return { repos, repository, said, update };
}

t.test("a clone starts on the tracked branch and says where it is", async (t) => {
  const { said } = await cloned(t, "main");
  t.match(said, [/^cloned file:\/\/.*lab\.git \(main at [0-9a-f]{7,}\)$/]);
});

t.test("without a ref, the branch's upstream is what it tracks; local commits on top are only mentioned", async (t) => {
  const { repos, repository, update } = await cloned(t);
  t.equal(await update(), "up to date with origin/main");
  await repos.commit(repository.path, { "b.txt": "b\n" }, "local");
  t.equal(await update(), "up to date with origin/main (1 local commit not pushed)");
});

t.test("another branch, no upstream, no repository, a folder of another repository: left alone, said why", async (t) => {
  const { repos, repository, update } = await cloned(t, "main");
  await repos.git(repository.path, "checkout", "-q", "-b", "wip");
  await t.rejects(update(), /is on branch "wip", not "main" which it tracks/);
  await t.rejects(update({ ref: undefined }), /branch "wip" tracks no remote branch: give the include a "ref"/);
  const plain = join(repos.base, "plain");
  mkdirSync(plain);
  await t.rejects(update({ path: plain }), /is there but is not a git repository/);
  const inner = join(repository.path, "inner");
  mkdirSync(inner);
  await t.rejects(update({ path: inner }), /inner is a folder of the repository .*lab, not a clone of its own/);
});

t.test("the same URL spelt with a trailing .git or / is the same remote", async (t) => {
  const { repository, update } = await cloned(t, "main");
  t.equal(await update({ git: `${repository.git.replace(/\.git$/, "")}/` }), "up to date with origin/main");
});
