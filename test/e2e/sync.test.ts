import t from "tap";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exits, jsonMityfile, type Test } from "../helpers/fixtures.js";
import { events, runMity, writeTreeFile } from "../helpers/mity.js";
import { liveTerminal } from "../helpers/terminal.js";
import { gitEnv, Repos } from "../team/repos.js";

// Each subtest has its own repositories and spawns its own mity: they can run side by side. Each
// sync starts several real git processes per repository: on a loaded machine that takes a while.
t.jobs = 3;
t.setTimeout(300_000);

const task = (text: string) => ({ tasks: { hello: { description: "Say hello", run: `echo ${text}` } } });

/**
 * A team root (not a repository itself) including `fw` (branch main) and `cloud` (its default branch);
 * the firewall's mityfile includes `rules`, a third repository laid out beside it.
 */
async function team(t: Test) {
  const repos = new Repos(t);
  const rules = await repos.remote("rules", { "mityfile.ts": jsonMityfile(task("rules")) });
  const fw = await repos.remote("fw", {
    "mityfile.ts": jsonMityfile({ include: { rules: { path: "../rules", git: rules } }, ...task("fw") }),
    "rules.v4": "one\n",
  });
  const cloud = await repos.remote("cloud", { "mityfile.ts": jsonMityfile(task("cloud")), "main.tf": "a\n" });
  const root = join(repos.base, "infra");
  writeTreeFile(root, "mityfile.ts", jsonMityfile({
    include: { fw: { path: "./firewall", git: fw, ref: "main" }, cloud: { path: "./cloud", git: cloud } },
    tasks: { check: { deps: ["fw:hello", "cloud:hello"] } },
  }));
  const mity = (...args: string[]) => runMity(args, { cwd: root, env: gitEnv(repos.home), timeoutMs: 60_000 });
  return { repos, root, mity, urls: { fw, cloud, rules } };
}

/** Each task's end event: state and reason. */
const ends = (stdout: string) =>
  Object.fromEntries(events(stdout).filter((e) => e.event === "end").map((e) => [e.task as string, `${String(e.state)}${e.reason ? `: ${String(e.reason)}` : ""}`]));
const lines = (stdout: string) => events(stdout).filter((e) => e.event === "output").map((e) => `${String(e.task)}: ${String(e.line)}`);

t.test("a run with a repository not cloned yet says which and to sync; --list shows the rest", async (t) => {
  const { mity } = await team(t);
  const run = await mity("check");
  exits(t, run, 2);
  t.match(run.stderr, /mityfile\.ts: field "include\.fw": the repository file:\/\/.*fw\.git is not at .*firewall yet \(nor are include\.cloud\): run "mity --sync" to clone it/);
  const list = await mity("--list");
  exits(t, list, 0);
  t.match(list.stdout, /check/);
  t.match(list.stdout, /Not cloned yet, so not listed \(run "mity --sync"\):\n {2}fw: {5}firewall from file:\/\/.*fw\.git\n {2}cloud: {2}cloud from /);
});

t.test("--sync clones the missing repositories, then the ones their mityfiles include; a second sync fast-forwards", async (t) => {
  const { repos, root, mity } = await team(t);
  const first = await mity("--sync", "--output", "json");
  exits(t, first, 0);
  t.strictSame(ends(first.stdout), { fw: "ok", cloud: "ok", "fw:rules": "ok" });
  t.match(lines(first.stdout).join("\n"), /fw: cloned file:\/\/.*fw\.git \(main at [0-9a-f]+\)/);
  t.ok(existsSync(join(root, "rules", "mityfile.ts")), "the nested include is cloned beside the firewall");
  const run = await mity("--output", "json", "fw:rules:hello", "check");
  exits(t, run, 0);

  await repos.push("fw", { "rules.v4": "two\n" }, "second");
  const second = await mity("--sync", "--output", "json");
  exits(t, second, 0);
  t.match(lines(second.stdout).join("\n"), /fw: fast-forwarded 1 commit to [0-9a-f]+ \(origin\/main\)/);
  t.match(lines(second.stdout).join("\n"), /cloud: up to date with origin\/main/);
  t.equal(readFileSync(join(root, "firewall", "rules.v4"), "utf8"), "two\n");
});

t.test("in a terminal, the live view shows the repositories, then what became of each", async (t) => {
  const { root, mity } = await team(t);
  exits(t, await mity("--sync"), 0);
  const terminal = liveTerminal(t, root, "--sync");
  t.equal(await terminal.exitWithin(60_000), 0);
  const text = terminal.text();
  t.match(text, /✔ fw\b/);
  t.match(text, /\n {2}(fw|cloud|fw:rules) +up to date with origin\/main\n/);
  t.match(text, /\n {2}fw:rules {2}up to date with origin\/main\n/);
});

t.test("dirty, diverged, detached and differently-remoted clones are left as they are, each said why; exit 1", async (t) => {
  const { repos, root, mity, urls } = await team(t);
  exits(t, await mity("--sync"), 0);
  writeFileSync(join(root, "cloud", "main.tf"), "changed here\n");
  await repos.commit(join(root, "firewall"), { "local.txt": "mine\n" }, "local");
  await repos.push("fw", { "rules.v4": "theirs\n" }, "remote");
  await repos.git(join(root, "rules"), "checkout", "-q", "--detach");
  const headBefore = await repos.git(join(root, "firewall"), "rev-parse", "HEAD");

  const result = await mity("--sync", "--output", "json");
  exits(t, result, 1);
  const end = ends(result.stdout);
  t.match(end.cloud, /^failed: .*has uncommitted changes \(1 file\)/);
  t.match(end.fw, /^failed: .*has diverged from origin\/main \(1 local, 1 new there\)/);
  t.match(end["fw:rules"], /^failed: .*is on a detached HEAD/);
  t.equal(await repos.git(join(root, "firewall"), "rev-parse", "HEAD"), headBefore, "the diverged clone is not moved");
  t.equal(readFileSync(join(root, "cloud", "main.tf"), "utf8"), "changed here\n", "the dirty clone keeps its change");

  await repos.git(join(root, "cloud"), "checkout", "-q", "--", "main.tf");
  await repos.git(join(root, "cloud"), "remote", "set-url", "origin", urls.rules);
  const moved = await mity("--sync", "--output", "json");
  exits(t, moved, 1);
  t.match(ends(moved.stdout).cloud, /^failed: .*its origin is file:\/\/.*rules\.git, not file:\/\/.*cloud\.git as include\.cloud says/);
});

t.test("an included mityfile that does not load is told once, and a sync can still bring its fix", async (t) => {
  const { repos, root, mity } = await team(t);
  exits(t, await mity("--sync"), 0);
  await repos.push("fw", { "mityfile.ts": "export default { tasks: { hello: { run: oops } } };\n" }, "broken");
  exits(t, await mity("--sync"), 0);
  await repos.push("fw", { "mityfile.ts": jsonMityfile(task("fixed")) }, "fixed");
  const result = await mity("--sync", "--output", "json");
  exits(t, result, 0);
  t.equal(result.stderr.match(/warning: .*firewall\/mityfile\.ts: .*oops is not defined \(the includes it names are not synced\)/g)?.length, 1);
  t.match(lines(result.stdout).join("\n"), /fw: fast-forwarded 1 commit/);
  t.match(readFileSync(join(root, "firewall", "mityfile.ts"), "utf8"), /fixed/);
});

t.test("--sync takes no task names and has no dry run; with no repository named it says so", async (t) => {
  const { root, mity } = await team(t);
  const named = await mity("--sync", "fw");
  exits(t, named, 2);
  t.match(named.stderr, /--sync lays out every repository the includes name and takes no task names \(fw\)/);
  const dry = await mity("--sync", "-n");
  exits(t, dry, 2);
  t.match(dry.stderr, /--sync has no dry run/);
  writeTreeFile(root, "mityfile.ts", jsonMityfile({ include: { here: "./here" }, tasks: {} }));
  writeTreeFile(root, "here/mityfile.ts", jsonMityfile({ tasks: {} }));
  const none = await mity("--sync", "--output", "json");
  exits(t, none, 0);
  t.equal(none.stdout, "");
  t.match(none.stderr, /No include of mityfile\.ts names a git repository: nothing to sync\./);
});

t.test("a repository that cannot be reached fails with git's own message, without a prompt", async (t) => {
  const { root, mity } = await team(t);
  writeTreeFile(root, "mityfile.ts", jsonMityfile({ include: { gone: { path: "./gone", git: `file://${root}/nowhere.git` } }, tasks: {} }));
  const result = await mity("--sync", "--output", "json");
  exits(t, result, 1);
  t.match(ends(result.stdout).gone, /^failed: .*git clone: .*nowhere\.git/);
  t.notOk(existsSync(join(root, "gone")));
});

t.test("the include forms are checked: unknown fields and wrong types name the file, include and field (exit 2)", async (t) => {
  const { root, mity } = await team(t);
  const cases: [unknown, RegExp][] = [
    [{ path: "./x", git: "u", branch: "main" }, /field "include\.x\.branch": unknown field "branch" \(fields: path, git, ref\)/],
    [{ git: "u" }, /field "include\.x\.path": must be a path \(string\)/],
    [{ path: "./x", git: 3 }, /field "include\.x\.git": must be the repository's URL \(string\)/],
    [{ path: "./x", ref: "main" }, /field "include\.x\.ref": names a branch but no repository/],
    [7, /field "include\.x": must be a path \(string\) or \{ path, git, ref \}/],
  ];
  for (const [include, message] of cases) {
    writeTreeFile(root, "mityfile.ts", jsonMityfile({ include: { x: include }, tasks: { a: { run: "true" } } }));
    const result = await mity("a");
    exits(t, result, 2);
    t.match(result.stderr, new RegExp(`${root.replaceAll("/", "\\/")}\\/mityfile\\.ts: ${message.source}`), JSON.stringify(include));
  }
});
