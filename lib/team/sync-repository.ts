import { realpathSync } from "node:fs";
import type { IncludedRepository } from "../config/includes.js";
import type { Git } from "./git.js";

/** Why a repository was left as it was: the task fails with this, and the run exits 1. */
export class LeftAlone extends Error {}

type Repository = Pick<IncludedRepository, "path" | "git" | "ref" | "field">;

/** Clones a repository that is not there yet, at its tracked branch. */
export async function cloneRepository(repository: Repository, git: Git, log: (text: string) => void): Promise<void> {
  const branch = repository.ref === undefined ? [] : ["--branch", repository.ref];
  await git(["clone", "--quiet", ...branch, "--", repository.git, repository.path]);
  const head = await git(["rev-parse", "--short", "HEAD"], repository.path);
  const on = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], repository.path).catch(() => "a detached HEAD");
  log(`cloned ${repository.git} (${on} at ${head})`);
}

/**
 * Brings a clone up to date when that is safe: clean, on its tracked branch, from the right remote, and
 * behind it only (a fast-forward). Anything else is left as it is, and said why.
 */
export async function updateRepository(repository: Repository, git: Git, log: (text: string) => void): Promise<void> {
  const { path } = repository;
  const tracked = await safeToUpdate(repository, git);
  await git(["fetch", "--quiet", "origin"], path);
  const [ahead, behind] = (await git(["rev-list", "--left-right", "--count", `HEAD...${tracked}`], path)).split(/\s+/).map(Number) as [number, number];
  if (ahead > 0 && behind > 0) throw new LeftAlone(`has diverged from ${tracked} (${ahead} local, ${behind} new there): merge or rebase it yourself`);
  if (behind === 0) return log(`up to date with ${tracked}${ahead > 0 ? ` (${ahead} local ${plural(ahead, "commit")} not pushed)` : ""}`);
  await git(["merge", "--ff-only", "--quiet", tracked], path);
  log(`fast-forwarded ${behind} ${plural(behind, "commit")} to ${await git(["rev-parse", "--short", "HEAD"], path)} (${tracked})`);
}

/** The remote branch a clone tracks, once it is known to be a clean clone of its own, from the include's remote, on that branch. */
async function safeToUpdate(repository: Repository, git: Git): Promise<string> {
  const { path } = repository;
  const top = await git(["rev-parse", "--show-toplevel"], path).catch(() => undefined);
  if (top === undefined) throw new LeftAlone(`${path} is there but is not a git repository: move it away and sync again to clone it`);
  if (realpathSync(top) !== realpathSync(path)) throw new LeftAlone(`${path} is a folder of the repository ${top}, not a clone of its own`);
  const origin = await git(["remote", "get-url", "origin"], path).catch(() => undefined);
  if (origin === undefined) throw new LeftAlone(`has no remote "origin" (the include names ${repository.git})`);
  if (!sameUrl(origin, repository.git)) throw new LeftAlone(`its origin is ${origin}, not ${repository.git} as ${repository.field} says`);
  const branch = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], path).catch(() => undefined);
  if (branch === undefined) throw new LeftAlone(`is on a detached HEAD: check out ${repository.ref ?? "its branch"} to have it synced`);
  if (repository.ref !== undefined && branch !== repository.ref) throw new LeftAlone(`is on branch "${branch}", not "${repository.ref}" which it tracks`);
  const changed = (await git(["status", "--porcelain", "--untracked-files=no"], path)).split("\n").filter(Boolean).length;
  if (changed > 0) throw new LeftAlone(`has uncommitted changes (${changed} ${plural(changed, "file")}): commit or stash them, then sync again`);
  return repository.ref === undefined ? upstreamOf(branch, path, git) : `origin/${repository.ref}`;
}

const plural = (count: number, word: string) => (count === 1 ? word : `${word}s`);

async function upstreamOf(branch: string, path: string, git: Git): Promise<string> {
  const upstream = await git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], path).catch(() => undefined);
  if (upstream === undefined) throw new LeftAlone(`branch "${branch}" tracks no remote branch: give the include a "ref"`);
  return upstream;
}

/** Whether two URLs name one repository (a trailing `/` or `.git` aside). */
function sameUrl(a: string, b: string): boolean {
  const plain = (url: string) => url.trim().replace(/\/+$/, "").replace(/\.git$/, "");
  return plain(a) === plain(b);
}
