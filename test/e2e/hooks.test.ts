import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import t from "tap";
import { collect } from "../helpers/collect.js";
import type { Test } from "../helpers/fixtures.js";
import { MITY_BIN, events } from "../helpers/mity.js";
import { PATH_WITHOUT_MITY, git, initRepo, tempDir, writeExecutable, type Ran } from "../hooks/repo.js";

// The machine's git config (a global core.hooksPath, signing) and a surrounding hook's GIT_* must not leak in.
for (const name of Object.keys(process.env)) if (name.startsWith("GIT_")) delete process.env[name];
process.env.GIT_CONFIG_NOSYSTEM = "1";
process.env.GIT_CONFIG_GLOBAL = "/dev/null";

// Every subtest has its own repository and PATH: they can run side by side.
t.jobs = 3;

const read = (path: string) => readFile(path, "utf8");
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const lines = (text: string) => text.split("\n").filter(Boolean);

/** A JS string literal, to write a value into a mityfile. */
const js = (text: string) => JSON.stringify(text);

/** A mityfile from the source of its config object. */
const mityfile = (config: string) => `export default ${config};\n`;

interface Project {
  base: string;
  repo: string;
  env: NodeJS.ProcessEnv;
  /** Runs git in the repository with the test's PATH (so hooks find the wrapper). */
  git(...args: string[]): Promise<Ran>;
  /** Runs the `mity` wrapper found on PATH, as a user types it. */
  mity(args: string[], cwd?: string): Promise<Ran>;
  commits(): Promise<number>;
}

/**
 * A git repository (with one commit made without hooks) holding `files`, and a `mity` wrapper first on
 * PATH that runs this build, so the installed hook finds it the way it finds an installed mity.
 */
async function project(t: Test, files: Record<string, string>): Promise<Project> {
  const base = await tempDir(t);
  const repo = await initRepo(join(base, "repo"));
  const bin = join(base, "bin");
  await writeExecutable(join(bin, "mity"), `exec '${process.execPath}' '${MITY_BIN}' "$@"`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}${delimiter}${PATH_WITHOUT_MITY}`,
    HOME: join(base, "home"),
    XDG_CONFIG_HOME: join(base, "home", ".config"),
    NO_COLOR: "1",
  };
  for (const name of ["CI", "GITHUB_ACTIONS", "FORCE_COLOR"]) delete env[name];
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), text);
  }
  await git(repo, "commit", "-q", "--allow-empty", "--no-verify", "-m", "base");
  return {
    base,
    repo,
    env,
    git: (...args) => collect("git", args, { cwd: repo, env, timeoutMs: 20_000 }),
    mity: (args, cwd = repo) => collect(join(bin, "mity"), args, { cwd, env, timeoutMs: 20_000 }),
    commits: async () => Number((await git(repo, "rev-list", "--count", "HEAD")).trim()),
  };
}

/** Installs through the real CLI and checks it said so. */
async function install(t: Test, p: Project, cwd = p.repo): Promise<string> {
  const ran = await p.mity(["--install-hooks"], cwd);
  t.equal(ran.code, 0, `--install-hooks succeeds: ${ran.stderr}`);
  return ran.stdout;
}

t.test("a failing task blocks git commit with its whole output; a passing one lets it through with one line", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{
      tasks: {
        check: { run: "echo check-says-hi; seq 1 200; git show :value.txt | grep -qx good || { echo value is not good >&2; exit 3; }" },
      },
      hooks: { "pre-commit": ["check"] },
    }`),
  });
  t.equal(await install(t, p), "pre-commit: installed .git/hooks/pre-commit\n");
  t.equal(await install(t, p), "pre-commit: unchanged .git/hooks/pre-commit\n", "installing again changes nothing");
  t.ok((await modeOf(join(p.repo, ".git/hooks/pre-commit"))) & 0o100, "the hook is executable");

  await writeFile(join(p.repo, "value.txt"), "bad\n");
  await p.git("add", "value.txt");
  const refused = await p.git("commit", "-q", "-m", "bad value");
  t.not(refused.code, 0, "git commit fails");
  t.equal(await p.commits(), 1, "no commit was made");
  const said = lines(refused.stderr);
  t.ok(said.includes("check-says-hi"), "the failing task's first line is shown");
  const numbers = said.filter((line) => /^\d+$/.test(line));
  t.same(numbers, Array.from({ length: 200 }, (_, i) => String(i + 1)), "every line of its output, in order");
  t.ok(said.includes("value is not good"), "its stderr too");
  t.match(refused.stderr, /✖ failed +check +exit code 3/, "the task's failure");
  t.match(refused.stderr, /✖ mity: failed · 1 failed/, "the summary");

  await writeFile(join(p.repo, "value.txt"), "good\n");
  await p.git("add", "value.txt");
  const passed = await p.git("commit", "-q", "-m", "good value");
  t.equal(passed.code, 0, passed.stderr);
  t.equal(await p.commits(), 2, "the commit was made");
  t.equal(passed.stdout, "", "nothing on stdout");
  t.match(passed.stderr, /^✔ mity pre-commit: 1 ok · \d+ms\n$/, "a single line on stderr");
});

t.test("an existing hook is kept, runs first, and uninstall puts it back byte for byte", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{
      tasks: { mark: { run: "echo mity-task >> ../log" } },
      hooks: { "pre-commit": ["mark"] },
    }`),
  });
  const hook = join(p.repo, ".git/hooks/pre-commit");
  const original = "#!/bin/sh\n# the team's own hook\necho \"user-hook $#\" >> ../log\n";
  await writeFile(hook, original);
  await chmod(hook, 0o750);

  t.equal(
    await install(t, p),
    "pre-commit: chained .git/hooks/pre-commit (your existing hook is kept as .git/hooks/pre-commit.pre-mity and runs first)\n",
  );
  t.equal(await read(`${hook}.pre-mity`), original, "kept unchanged");
  t.match(await install(t, p), /^pre-commit: unchanged /, "installing again does not chain mity onto itself");
  t.equal(await read(`${hook}.pre-mity`), original, "the kept hook is still the user's");

  await writeFile(join(p.repo, "a.txt"), "a\n");
  await p.git("add", "a.txt");
  const ran = await p.git("commit", "-q", "-m", "one");
  t.equal(ran.code, 0, ran.stderr);
  t.same(lines(await read(join(p.base, "log"))), ["user-hook 0", "mity-task"], "the user's hook ran, then mity's task");

  // A failing kept hook stops the commit before mity runs.
  await writeFile(`${hook}.pre-mity`, "#!/bin/sh\necho user-hook-refuses >> ../log\nexit 1\n");
  await writeFile(join(p.repo, "b.txt"), "b\n");
  await p.git("add", "b.txt");
  t.not((await p.git("commit", "-q", "-m", "two")).code, 0, "the commit is refused");
  t.equal(await p.commits(), 2);
  t.same(lines(await read(join(p.base, "log"))).slice(2), ["user-hook-refuses"], "mity's task did not run");
  await writeFile(`${hook}.pre-mity`, original);

  const removed = await p.mity(["--uninstall-hooks"]);
  t.equal(removed.code, 0, removed.stderr);
  t.equal(removed.stdout, "pre-commit: restored .git/hooks/pre-commit\n");
  t.equal(await read(hook), original, "the same bytes");
  t.equal(await modeOf(hook), 0o750, "the same mode");
  t.notOk(existsSync(`${hook}.pre-mity`), "nothing left behind");
});

t.test("core.hooksPath is where the hook is written, and git runs it from there", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{ tasks: { mark: { run: "echo ran >> ../log" } }, hooks: { "pre-commit": ["mark"] } }`),
  });
  await git(p.repo, "config", "core.hooksPath", ".githooks");
  t.equal(await install(t, p), "pre-commit: installed .githooks/pre-commit\n");
  t.notOk(existsSync(join(p.repo, ".git/hooks/pre-commit")), "nothing in .git/hooks");
  await writeFile(join(p.repo, "a.txt"), "a\n");
  await p.git("add", "a.txt");
  const ran = await p.git("commit", "-q", "-m", "one");
  t.equal(ran.code, 0, ran.stderr);
  t.same(lines(await read(join(p.base, "log"))), ["ran"], "git ran the hook in core.hooksPath");
  const removed = await p.mity(["--uninstall-hooks"]);
  t.equal(removed.stdout, "pre-commit: removed .githooks/pre-commit\n");
  t.notOk(existsSync(join(p.repo, ".githooks/pre-commit")));
});

t.test("staged names with spaces and non-ASCII characters reach ctx.staged and MITY_STAGED_FILES intact", async (t) => {
  const p = await project(t, {
    "tracked.txt": "one\n",
    "mityfile.ts": mityfile(`{
      tasks: {
        fn: { run: async (ctx) => { (await import("node:fs")).writeFileSync(${js("../staged.json")}, JSON.stringify(ctx.staged)); } },
        sh: { run: 'cp "$MITY_STAGED_FILES" ../staged.txt; echo "$MITY_HOOK" > ../hook.txt' },
      },
      hooks: { "pre-commit": ["fn", "sh"] },
    }`),
  });
  await git(p.repo, "add", "tracked.txt", "mityfile.ts");
  await git(p.repo, "commit", "-q", "--no-verify", "-m", "tracked");
  await install(t, p);
  const names = ["dir ü/naïve file.txt", "Ünïcødé 日本.md", "  two  spaces.txt"];
  for (const name of names) {
    await mkdir(dirname(join(p.repo, name)), { recursive: true });
    await writeFile(join(p.repo, name), "x\n");
  }
  await p.git("add", "--", ...names);
  const ran = await p.git("commit", "-q", "-m", "names");
  t.equal(ran.code, 0, ran.stderr);
  const sorted = [...names].sort();
  t.same(JSON.parse(await read(join(p.base, "staged.json"))), sorted, "ctx.staged, relative to the root, as git sorts them");
  t.equal(await read(join(p.base, "staged.txt")), sorted.map((name) => `${name}\n`).join(""), "one per line in MITY_STAGED_FILES");
  t.equal(await read(join(p.base, "hook.txt")), "pre-commit\n", "MITY_HOOK");

  // `git commit -a` commits through its own index: the hook sees the files being committed.
  await writeFile(join(p.repo, "tracked.txt"), "two\n");
  const all = await p.git("commit", "-q", "-a", "-m", "all");
  t.equal(all.code, 0, all.stderr);
  t.same(JSON.parse(await read(join(p.base, "staged.json"))), ["tracked.txt"], "with -a, the modified tracked file");
});

t.test("a task runs when a staged file matches its inputs and is skipped otherwise", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{
      tasks: {
        code: { inputs: ["src/**/*.ts", "!src/gen/**"], run: "echo code" },
        docs: { inputs: ["docs/**/*.md"], run: "echo docs" },
        pkg: { cwd: "pkg", inputs: ["**/*.js"], run: "echo pkg" },
        shared: { cwd: "app", inputs: ["../lib/*.ts", "!../lib/*.test.ts"], run: "echo shared" },
        always: { run: "echo always" },
      },
      hooks: { "pre-commit": ["code", "docs", "pkg", "shared", "always"] },
    }`),
    "app/README": "the shared task's folder\n",
  });
  const ends = async () => {
    const ran = await p.mity(["--hook", "pre-commit", "--output", "json"]);
    t.equal(ran.code, 0, ran.stderr);
    const found = events(ran.stdout).filter((event) => event.event === "end");
    return Object.fromEntries(found.map((event) => [String(event.task), event.reason === undefined ? event.state : `${String(event.state)}: ${String(event.reason)}`]));
  };
  const stage = async (...paths: string[]) => {
    for (const path of paths) {
      await mkdir(dirname(join(p.repo, path)), { recursive: true });
      await writeFile(join(p.repo, path), `${path}\n`);
    }
    await git(p.repo, "add", "--", ...paths);
  };

  await stage("src/a.ts", "src/gen/b.md", "other/c.js");
  t.same(await ends(), { code: "ok", docs: "skipped: no staged input", pkg: "skipped: no staged input", shared: "skipped: no staged input", always: "ok" }, "only src/ matches");

  await git(p.repo, "reset", "-q");
  await stage("docs/guide.md", "src/gen/x.ts", "pkg/lib/index.js");
  t.same(await ends(), { code: "skipped: no staged input", docs: "ok", pkg: "ok", shared: "skipped: no staged input", always: "ok" }, "docs and pkg match; src/gen is excluded");

  // Inputs above the task's folder count as they do for the up-to-date check.
  await git(p.repo, "reset", "-q");
  await stage("lib/util.test.ts");
  t.equal((await ends()).shared, "skipped: no staged input", "an excluded file above the folder");
  await stage("lib/util.ts");
  t.equal((await ends()).shared, "ok", "a staged file that ../lib/*.ts matches");
});

t.test("commit-msg gets the message file in ctx.args and can refuse a message", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{
      tasks: {
        msg: {
          run: async (ctx) => {
            const fs = await import("node:fs");
            fs.writeFileSync(${js("../args.json")}, JSON.stringify(ctx.args));
            const text = fs.readFileSync(ctx.args[0], "utf8");
            if (!/^(feat|fix): /.test(text)) throw new Error("the message must start with feat: or fix:");
          },
        },
      },
      hooks: { "commit-msg": ["msg"] },
    }`),
  });
  t.equal(await install(t, p), "commit-msg: installed .git/hooks/commit-msg\n");
  const bad = await p.git("commit", "-q", "--allow-empty", "-m", "stuff");
  t.not(bad.code, 0, "refused");
  t.match(bad.stderr, "the message must start with feat: or fix:");
  t.equal(await p.commits(), 1);
  const args = JSON.parse(await read(join(p.base, "args.json"))) as string[];
  t.equal(args.length, 1, "one argument");
  t.match(args[0], /COMMIT_EDITMSG$/, "the message file");

  const good = await p.git("commit", "-q", "--allow-empty", "-m", "feat: hooks");
  t.equal(good.code, 0, good.stderr);
  t.equal(await p.commits(), 2);
});

t.test("commit-msg: the message file is found when the mityfile is below the repository root", async (t) => {
  const p = await project(t, {
    "app/mityfile.ts": mityfile(`{
      tasks: { msg: { run: async (ctx) => { (await import("node:fs")).readFileSync(ctx.args[0], "utf8"); } } },
      hooks: { "commit-msg": ["msg"] },
    }`),
  });
  t.equal(await install(t, p, join(p.repo, "app")), "commit-msg: installed ../.git/hooks/commit-msg\n");
  const ran = await p.git("commit", "-q", "--allow-empty", "-m", "feat: from app");
  t.equal(ran.code, 0, `the task can read ctx.args[0]: ${ran.stderr}`);
  t.equal(await p.commits(), 2);
});

t.test("pre-push gets the remote in ctx.args and the refs on stdin; a failure stops the push", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{
      tasks: {
        refs: {
          run: async (ctx) => {
            const fs = await import("node:fs");
            fs.writeFileSync(${js("../push.json")}, JSON.stringify({ args: ctx.args, stdin: fs.readFileSync(0, "utf8") }));
            throw new Error("not today");
          },
        },
      },
      hooks: { "pre-push": ["refs"] },
    }`),
  });
  const remote = join(p.base, "remote.git");
  await git(p.base, "init", "-q", "--bare", remote);
  await git(p.repo, "remote", "add", "origin", remote);
  await install(t, p);
  const pushed = await p.git("push", "-q", "origin", "HEAD:refs/heads/main");
  t.not(pushed.code, 0, "the push is refused");
  t.match(pushed.stderr, "not today");
  t.equal((await git(remote, "for-each-ref")).trim(), "", "nothing reached the remote");
  const head = (await git(p.repo, "rev-parse", "HEAD")).trim();
  const seen = JSON.parse(await read(join(p.base, "push.json"))) as { args: string[]; stdin: string };
  t.same(seen.args, ["origin", remote]);
  t.equal(seen.stdin, `HEAD ${head} refs/heads/main ${"0".repeat(40)}\n`);
});

t.test("pre-push runs a task with inputs when the pushed commits change them", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{ tasks: { test: { inputs: ["src/**"], run: "echo ran >> ../log" } }, hooks: { "pre-push": ["test"] } }`),
  });
  const remote = join(p.base, "remote.git");
  await git(p.base, "init", "-q", "--bare", remote);
  await git(p.repo, "remote", "add", "origin", remote);
  await install(t, p);
  await mkdir(join(p.repo, "src"));
  await writeFile(join(p.repo, "src/a.js"), "a\n");
  await git(p.repo, "add", "src/a.js");
  await git(p.repo, "commit", "-q", "-m", "src");
  const pushed = await p.git("push", "-q", "origin", "HEAD:refs/heads/main");
  t.equal(pushed.code, 0, pushed.stderr);
  t.same(existsSync(join(p.base, "log")) ? lines(await read(join(p.base, "log"))) : [], ["ran"], "the task ran");
});

t.test("a task whose inputs match runs even when its dep has no staged input", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{
      tasks: {
        build: { inputs: ["src/**"], run: "echo build" },
        test: { deps: ["build"], inputs: ["test/**"], run: "echo test" },
      },
      hooks: { "pre-commit": ["test"] },
    }`),
  });
  await mkdir(join(p.repo, "test"));
  await writeFile(join(p.repo, "test/a.test.js"), "t\n");
  await git(p.repo, "add", "test/a.test.js");
  const ran = await p.mity(["--hook", "pre-commit", "--output", "json"]);
  t.equal(ran.code, 0, ran.stderr);
  const test = events(ran.stdout).find((event) => event.event === "end" && event.task === "test");
  t.equal(test?.state, "ok", `test ran: ${JSON.stringify(test)}`);
});

t.test("the project's node_modules/.bin/mity is preferred over mity on PATH", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{ tasks: { mark: { run: "echo path-mity >> ../log" } }, hooks: { "pre-commit": ["mark"] } }`),
  });
  await install(t, p);
  await writeExecutable(join(p.repo, "node_modules/.bin/mity"), `echo "local-mity $*" >> ../log`);
  await writeFile(join(p.repo, ".gitignore"), "node_modules/\n");
  await p.git("add", ".gitignore");
  const ran = await p.git("commit", "-q", "-m", "one");
  t.equal(ran.code, 0, ran.stderr);
  t.same(lines(await read(join(p.base, "log"))), ["local-mity --hook pre-commit"], "only the project's mity ran");
});

t.test("--hook with a name that is not a git hook is refused", async (t) => {
  const p = await project(t, {
    "mityfile.ts": mityfile(`{ tasks: { a: { run: "true" } }, hooks: { "pre-commit": ["a"] } }`),
  });
  const ran = await p.mity(["--hook", "pre-comit"]);
  t.equal(ran.code, 2, "a usage error");
  t.match(ran.stderr, /"pre-comit".*Did you mean "pre-commit"/s);
});
