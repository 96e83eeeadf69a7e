import { chmod, lstat, mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import t from "tap";
import { MARKER, hooksDir, installHooks, stagedFiles, uninstallHooks } from "../../lib/hooks/install.js";
import { MityError } from "../../lib/util/errors.js";
import type { Test } from "../helpers/fixtures.js";
import { PATH_WITHOUT_MITY, fakeMity, git, initRepo, runWithInput, tempDir, writeExecutable } from "./repo.js";

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const read = (path: string) => readFile(path, "utf8");

/** A repository and a directory on PATH holding a fake `mity` that logs to `log`. */
async function setup(t: Test, mityExit = 0) {
  const base = await tempDir(t);
  const repo = await initRepo(join(base, "repo"));
  const bin = join(base, "bin");
  const log = join(base, "log");
  await fakeMity(join(bin, "mity"), "path-mity", log, mityExit);
  const env = { ...process.env, PATH: `${bin}${delimiter}${PATH_WITHOUT_MITY}` };
  return { base, repo, bin, log, env, hooks: join(repo, ".git", "hooks") };
}

t.test("install writes executable sh scripts with the marker into .git/hooks", async (t) => {
  const { repo, hooks } = await setup(t);
  await mkdir(join(repo, "src"));
  t.equal(await hooksDir(join(repo, "src")), hooks, "found from a subdirectory too");
  const report = await installHooks({ cwd: join(repo, "src"), hooks: ["pre-commit", "pre-push", "pre-commit"] });
  t.same(report, {
    dir: hooks,
    hooks: [
      { hook: "pre-commit", path: join(hooks, "pre-commit"), action: "installed", kept: undefined },
      { hook: "pre-push", path: join(hooks, "pre-push"), action: "installed", kept: undefined },
    ],
  });
  for (const name of ["pre-commit", "pre-push"]) {
    const text = await read(join(hooks, name));
    t.ok(text.startsWith("#!/bin/sh\n"), `${name} is a sh script`);
    t.ok(text.split("\n").includes(MARKER), `${name} carries the marker`);
    t.match(text, `hook=${name}\n`);
    t.equal(await modeOf(join(hooks, name)), 0o755, `${name} is executable`);
  }
});

t.test("installing again is harmless; a changed or non-executable script is updated", async (t) => {
  const { repo, hooks } = await setup(t);
  await installHooks({ cwd: repo, hooks: ["pre-commit", "commit-msg"] });
  const before = await read(join(hooks, "pre-commit"));
  const again = await installHooks({ cwd: repo, hooks: ["pre-commit", "commit-msg"] });
  t.same(again.hooks.map((h) => h.action), ["unchanged", "unchanged"]);
  t.equal(await read(join(hooks, "pre-commit")), before);
  await writeFile(join(hooks, "pre-commit"), `#!/bin/sh\n${MARKER}\necho an older mity\n`);
  await chmod(join(hooks, "commit-msg"), 0o644);
  const fixed = await installHooks({ cwd: repo, hooks: ["pre-commit", "commit-msg"] });
  t.same(fixed.hooks.map((h) => h.action), ["updated", "updated"]);
  t.equal(await read(join(hooks, "pre-commit")), before);
  t.equal(await modeOf(join(hooks, "commit-msg")), 0o755);
});

t.test("an existing hook is kept as .pre-mity and runs first, with the same arguments and stdin", async (t) => {
  const { repo, hooks, log, env } = await setup(t);
  const original = `#!/bin/sh\nprintf 'user %s\\n' "$*" >> '${log}'\nsed 's/^/user-stdin /' >> '${log}'\n`;
  await writeFile(join(hooks, "pre-push"), original, { mode: 0o750 });
  await chmod(join(hooks, "pre-push"), 0o750);
  const report = await installHooks({ cwd: repo, hooks: ["pre-push"] });
  t.same(report.hooks, [{ hook: "pre-push", path: join(hooks, "pre-push"), action: "chained", kept: join(hooks, "pre-push.pre-mity") }]);
  t.equal(await read(join(hooks, "pre-push.pre-mity")), original);
  t.equal(await modeOf(join(hooks, "pre-push.pre-mity")), 0o750);

  const input = "refs/heads/main 1111 refs/heads/main 2222\nrefs/tags/v1 3333 refs/tags/v1 0000\n";
  const ran = await runWithInput("sh", [join(hooks, "pre-push"), "origin", "git@example.com:x y.git"], { cwd: repo, env, input });
  t.equal(ran.code, 0, ran.stderr);
  t.equal(
    await read(log),
    [
      "user origin git@example.com:x y.git",
      "user-stdin refs/heads/main 1111 refs/heads/main 2222",
      "user-stdin refs/tags/v1 3333 refs/tags/v1 0000",
      "path-mity --hook pre-push origin git@example.com:x y.git",
      `cwd ${repo}`,
      "stdin refs/heads/main 1111 refs/heads/main 2222",
      "stdin refs/tags/v1 3333 refs/tags/v1 0000",
      "",
    ].join("\n"),
  );
  const again = await installHooks({ cwd: repo, hooks: ["pre-push"] });
  t.same(again.hooks.map((h) => [h.action, h.kept]), [["unchanged", join(hooks, "pre-push.pre-mity")]]);
});

t.test("a failing kept hook stops the chain with its exit code", async (t) => {
  const { repo, hooks, log, env } = await setup(t);
  await writeExecutable(join(hooks, "commit-msg"), `echo "user $1" >> '${log}'; echo 'bad message' >&2; exit 3`);
  await installHooks({ cwd: repo, hooks: ["commit-msg"] });
  const ran = await runWithInput("sh", [join(hooks, "commit-msg"), ".git/COMMIT_EDITMSG"], { cwd: repo, env });
  t.equal(ran.code, 3);
  t.match(ran.stderr, "bad message");
  t.equal(await read(log), "user .git/COMMIT_EDITMSG\n", "mity never ran");
});

t.test("install refuses, writing nothing, when <name>.pre-mity is taken", async (t) => {
  const { repo, hooks } = await setup(t);
  await writeExecutable(join(hooks, "pre-push"), "echo mine");
  await writeFile(join(hooks, "pre-push.pre-mity"), "something else\n");
  const error = await installHooks({ cwd: repo, hooks: ["pre-commit", "pre-push"] }).catch((e: unknown) => e);
  t.type(error, MityError);
  t.match((error as MityError).message, /pre-push\.pre-mity.*already exists.*Move one of them away/);
  t.equal((error as MityError).file, join(hooks, "pre-push"));
  t.equal(await read(join(hooks, "pre-push")), "#!/bin/sh\necho mine\n");
  t.equal(await read(join(hooks, "pre-push.pre-mity")), "something else\n");
  await t.rejects(stat(join(hooks, "pre-commit")), { code: "ENOENT" }, "the other hook was not written either");
});

t.test("uninstall removes mity's scripts and puts back exactly what was there", async (t) => {
  const { repo, hooks } = await setup(t);
  const original = Buffer.from("#!/usr/bin/env python3\r\nprint('h\u00e9')\r\n\u0000\u00ff no newline at the end", "latin1");
  await writeFile(join(hooks, "pre-commit"), original);
  await chmod(join(hooks, "pre-commit"), 0o700);
  await symlink("pre-commit", join(hooks, "post-merge"));
  await writeExecutable(join(hooks, "post-checkout"), "echo not mity's");
  await installHooks({ cwd: repo, hooks: ["pre-commit", "post-merge", "commit-msg"] });
  t.ok((await lstat(join(hooks, "post-merge.pre-mity"))).isSymbolicLink(), "a symlinked hook is kept as the symlink");

  const report = await uninstallHooks({ cwd: repo });
  t.same(report.hooks.map((h) => [h.hook, h.action]), [
    ["pre-commit", "restored"],
    ["commit-msg", "removed"],
    ["post-merge", "restored"],
  ]);
  t.same(await readFile(join(hooks, "pre-commit")), original, "byte for byte");
  t.equal(await modeOf(join(hooks, "pre-commit")), 0o700, "mode kept");
  t.ok((await lstat(join(hooks, "post-merge"))).isSymbolicLink(), "the symlink is back");
  await t.rejects(stat(join(hooks, "commit-msg")), { code: "ENOENT" });
  await t.rejects(stat(join(hooks, "pre-commit.pre-mity")), { code: "ENOENT" });
  t.equal(await read(join(hooks, "post-checkout")), "#!/bin/sh\necho not mity's\n", "untouched");

  const named = await uninstallHooks({ cwd: repo, hooks: ["post-checkout", "pre-push"] });
  t.same(named.hooks.map((h) => h.action), ["foreign", "absent"]);
  t.equal(await read(join(hooks, "post-checkout")), "#!/bin/sh\necho not mity's\n");
});

t.test("core.hooksPath is honoured, relative to the work tree root or absolute", async (t) => {
  const { base, repo } = await setup(t);
  await mkdir(join(repo, "deep", "er"), { recursive: true });
  await git(repo, "config", "core.hooksPath", "tools/hooks");
  t.equal(await hooksDir(join(repo, "deep", "er")), join(repo, "tools", "hooks"));
  const report = await installHooks({ cwd: join(repo, "deep", "er"), hooks: ["pre-commit"] });
  t.equal(report.dir, join(repo, "tools", "hooks"), "made when missing");
  t.equal(await modeOf(join(repo, "tools", "hooks", "pre-commit")), 0o755);
  await t.rejects(stat(join(repo, ".git", "hooks", "pre-commit")), { code: "ENOENT" });

  const shared = join(base, "shared hooks");
  await git(repo, "config", "core.hooksPath", shared);
  t.equal(await hooksDir(join(repo, "deep")), shared);
  await installHooks({ cwd: repo, hooks: ["pre-push"] });
  t.match(await read(join(shared, "pre-push")), MARKER);
});

t.test("in a worktree, hooks go to the common git dir", async (t) => {
  const { base, repo, hooks } = await setup(t);
  await git(repo, "commit", "-q", "--allow-empty", "-m", "first");
  const tree = join(base, "tree");
  await git(repo, "worktree", "add", "-q", tree);
  t.equal(await hooksDir(tree), hooks);
  const report = await installHooks({ cwd: tree, hooks: ["post-checkout"] });
  t.equal(report.hooks[0]?.path, join(hooks, "post-checkout"));
  t.match(await read(join(hooks, "post-checkout")), MARKER);
});

t.test("in a submodule, hooks are the submodule's own", async (t) => {
  const { base, repo } = await setup(t);
  const lib = await initRepo(join(base, "lib"));
  await git(lib, "commit", "-q", "--allow-empty", "-m", "lib");
  // Git refuses local file:// submodules by default since 2.38.1.
  await git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", lib, "vendor/lib");
  const dir = await hooksDir(join(repo, "vendor", "lib"));
  t.equal(dir, join(repo, ".git", "modules", "vendor", "lib", "hooks"));
  const report = await installHooks({ cwd: join(repo, "vendor", "lib"), hooks: ["pre-commit"] });
  t.equal(report.hooks[0]?.path, join(dir, "pre-commit"));
  await t.rejects(stat(join(repo, ".git", "hooks", "pre-commit")), { code: "ENOENT" }, "not the superproject's");
});

t.test("a directory outside any git repository is a clear MityError", async (t) => {
  const dir = await tempDir(t);
  await t.rejects(hooksDir(dir), { name: "MityError", message: `${dir} is not in a git repository` });
  await t.rejects(installHooks({ cwd: dir, hooks: ["pre-commit"] }), { name: "MityError", message: /not in a git repository/ });
  await t.rejects(stagedFiles(dir), { name: "MityError", message: /not in a git repository/ });
  await t.rejects(hooksDir(join(dir, "missing")), { name: "MityError", message: /no such directory/ });
});

t.test("an unknown hook name is a MityError with a suggestion, before anything is written", async (t) => {
  const { repo, hooks } = await setup(t);
  const error = await installHooks({ cwd: repo, hooks: ["pre-commit", "pre-comit"] }).catch((e: unknown) => e);
  t.type(error, MityError);
  t.match((error as MityError).message, /^unknown git hook "pre-comit"\. Did you mean "pre-commit"\?/);
  t.equal((error as MityError).field, "hooks");
  await t.rejects(stat(join(hooks, "pre-commit")), { code: "ENOENT" });
  await t.rejects(installHooks({ cwd: repo, hooks: ["pre-receive"] }), { message: /server-side hook/ });
  await t.rejects(uninstallHooks({ cwd: repo, hooks: ["postcommit"] }), { message: /Did you mean "post-commit"/ });
});

t.test("stagedFiles lists added, modified and renamed paths from the root, any name intact, no deletions", async (t) => {
  const { repo } = await setup(t);
  const odd = "dir with space/new\nline \u00e9t\u00e9 \u2603.txt";
  await mkdir(join(repo, "dir with space"));
  await mkdir(join(repo, "sub"));
  for (const name of ["gone.txt", "kept.txt", "old-name.txt", "untouched.txt"]) await writeFile(join(repo, name), `${name} content\n`);
  await git(repo, "add", ".");
  t.same((await stagedFiles(repo)).sort(), ["gone.txt", "kept.txt", "old-name.txt", "untouched.txt"], "before the first commit");
  await git(repo, "commit", "-q", "-m", "first");
  t.same(await stagedFiles(repo), []);

  await writeFile(join(repo, odd), "odd\n");
  await writeFile(join(repo, "sub", "b.txt"), "b\n");
  await writeFile(join(repo, "kept.txt"), "changed\n");
  await writeFile(join(repo, "untracked.txt"), "not added\n");
  await git(repo, "add", odd, "sub/b.txt", "kept.txt");
  await git(repo, "rm", "-q", "gone.txt");
  await git(repo, "mv", "old-name.txt", "new-name.txt");
  const staged = await stagedFiles(join(repo, "sub"));
  t.same([...staged].sort(), [odd, "kept.txt", "new-name.txt", "sub/b.txt"].sort());
});

t.test("the script prefers node_modules/.bin/mity, else mity on PATH, else says what is missing", async (t) => {
  const { base, repo, hooks, log, env } = await setup(t);
  await mkdir(join(repo, "src"));
  await installHooks({ cwd: repo, hooks: ["pre-commit"] });
  const script = join(hooks, "pre-commit");

  let ran = await runWithInput("sh", [script], { cwd: join(repo, "src"), env });
  t.equal(ran.code, 0, ran.stderr);
  t.equal(await read(log), `path-mity --hook pre-commit\ncwd ${repo}\n`, "PATH's mity, run at the root");

  await fakeMity(join(repo, "node_modules", ".bin", "mity"), "local-mity", log, 0);
  await writeFile(log, "");
  ran = await runWithInput("sh", [script, "x"], { cwd: repo, env });
  t.equal(ran.code, 0, ran.stderr);
  t.equal(await read(log), `local-mity --hook pre-commit x\ncwd ${repo}\n`, "the project's own mity wins");

  const noMity = { ...process.env, PATH: PATH_WITHOUT_MITY };
  const bare = await initRepo(join(base, "bare-project"));
  await installHooks({ cwd: bare, hooks: ["pre-commit"] });
  ran = await runWithInput("sh", [join(bare, ".git", "hooks", "pre-commit")], { cwd: bare, env: noMity });
  t.equal(ran.code, 127);
  t.match(ran.stderr, /the pre-commit hook cannot run: there is no node_modules\/\.bin\/mity .* and no mity on PATH/);
  t.match(ran.stderr, /mity --uninstall-hooks/);
});

t.test("projectDir: the hook runs mity in that directory, finding node_modules/.bin/mity up to the root", async (t) => {
  const { base, repo, hooks, log, env } = await setup(t);
  const app = join(repo, "packages", "it's app");
  await mkdir(app, { recursive: true });
  await fakeMity(join(repo, "node_modules", ".bin", "mity"), "root-mity", log, 0);
  await installHooks({ cwd: repo, hooks: ["pre-commit"], projectDir: app });
  let ran = await runWithInput("sh", [join(hooks, "pre-commit")], { cwd: repo, env });
  t.equal(ran.code, 0, ran.stderr);
  t.equal(await read(log), `root-mity --hook pre-commit\ncwd ${app}\n`);

  await fakeMity(join(app, "node_modules", ".bin", "mity"), "app-mity", log, 0);
  await writeFile(log, "");
  ran = await runWithInput("sh", [join(hooks, "pre-commit")], { cwd: repo, env });
  t.equal(await read(log), `app-mity --hook pre-commit\ncwd ${app}\n`, "the nearest one wins");

  const again = await installHooks({ cwd: repo, hooks: ["pre-commit"] });
  t.same(again.hooks.map((h) => h.action), ["updated"], "another project dir is another script");
  await t.rejects(installHooks({ cwd: repo, hooks: ["pre-commit"], projectDir: base }), { name: "MityError", message: /outside the git work tree/ });
});

t.test("a real git commit runs the pre-commit hook: mity failing refuses the commit, succeeding lets it through", async (t) => {
  const { repo, bin, log, env } = await setup(t, 1);
  await installHooks({ cwd: repo, hooks: ["pre-commit"] });
  await writeFile(join(repo, "a.txt"), "a\n");
  await git(repo, "add", "a.txt");
  const refused = await runWithInput("git", ["commit", "-q", "-m", "blocked"], { cwd: repo, env });
  t.not(refused.code, 0, "commit refused");
  t.match(await read(log), "path-mity --hook pre-commit\n");
  await t.rejects(git(repo, "rev-parse", "--verify", "-q", "HEAD"), "no commit was made");

  await fakeMity(join(bin, "mity"), "path-mity", log, 0);
  const passed = await runWithInput("git", ["commit", "-q", "-m", "allowed"], { cwd: repo, env });
  t.equal(passed.code, 0, passed.stderr);
  t.equal((await git(repo, "log", "--format=%s")).trim(), "allowed");
});

t.test("mity in a project subdirectory sees the right work tree even when git passed relative paths", async (t) => {
  const { base, repo, bin, log, env } = await setup(t);
  const app = join(repo, "app");
  await mkdir(app);
  await writeExecutable(join(bin, "mity"), `{ echo "cwd $PWD"; git rev-parse --show-toplevel; git diff --cached --name-only; } >> '${log}'`);
  await installHooks({ cwd: repo, hooks: ["pre-commit"], projectDir: app });
  await writeFile(join(app, "a b.txt"), "a\n");
  await git(repo, "add", ".");
  // From outside, git hands the hook GIT_WORK_TREE=. (relative to the work tree root).
  const ran = await runWithInput("git", [`--git-dir=${join(repo, ".git")}`, `--work-tree=${repo}`, "commit", "-q", "-m", "x"], { cwd: base, env });
  t.equal(ran.code, 0, ran.stderr);
  t.equal(await read(log), `cwd ${app}\n${repo}\napp/a b.txt\n`);
});
