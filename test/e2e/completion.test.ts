import t from "tap";
import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exits, jsonMityfile, type Test } from "../helpers/fixtures.js";
import { MITY_BIN, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;


const tree = {
  "mityfile.ts": jsonMityfile({
    include: { fw: "./firewall" },
    tasks: {
      build: { run: "true" },
      audit: { run: "true" },
      secret: { hidden: true, run: "true" },
      deploy: {
        params: { env: { type: "string", choices: ["staging", "prod"] }, dryRun: { type: "boolean" }, tag: { type: "string[]" } },
        run: "true",
      },
    },
  }),
  "firewall/mityfile.ts": jsonMityfile({ include: { rules: "./rules" }, tasks: { apply: { run: "true" }, lint: { run: "true" } } }),
  "firewall/rules/mityfile.ts": jsonMityfile({ tasks: { check: { run: "true" } } }),
};

const installed = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;

/** A project with a `mity` command on PATH (as an installed mity would be) and the script for `shell` saved. */
async function project(t: Test, shell: "bash" | "zsh" | "fish") {
  const dir = tempTree(t, { ...tree, ".bin/mity": `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MITY_BIN)} "$@"\n` });
  const bin = join(dir, ".bin");
  chmodSync(join(bin, "mity"), 0o755);
  const printed = await runMity(["--completion", shell], { cwd: dir });
  exits(t, printed, 0, `--completion ${shell}`);
  const script = join(dir, `mity.${shell}`);
  writeFileSync(script, printed.stdout);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, HOME: join(dir, ".home"), NO_COLOR: "1", NODE_OPTIONS: "" };
  const shellRun = (args: string[]) => {
    const result = spawnSync(shell, args, { cwd: dir, env, encoding: "utf8", timeout: 15_000 });
    return { status: result.status, lines: result.stdout.split("\n").filter(Boolean), stderr: result.stderr };
  };
  return { dir, script, text: printed.stdout, shellRun };
}

const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

t.test("bash: the script completes task names, namespaces, a namespace's tasks, params and option values", async (t) => {
  const { script, text, shellRun } = await project(t, "bash");
  t.match(text, /mity --get-completions -- /, "the script asks mity for candidates");
  t.equal(shellRun(["-n", script]).status, 0, "bash -n accepts it");
  // What bash does on Tab: set COMP_LINE/COMP_POINT (and the words), call the function registered for mity, read COMPREPLY.
  const complete = (words: string[], cword = words.length - 1) => {
    const line = words.join(" ");
    return shellRun(["-c", `source ${quote(script)}; complete -p mity; COMP_LINE=${quote(line)}; COMP_POINT=${line.length}; COMP_WORDS=(${words.map(quote).join(" ")}); COMP_CWORD=${cword}; _mity_complete; printf '%s\\n' "\${COMPREPLY[@]}"`]).lines;
  };
  const [registered, ...names] = complete(["mity", ""]);
  t.match(registered, /^complete .*-F _mity_complete mity$/, "registered for the mity command");
  t.strictSame(names, ["audit", "build", "deploy", "fw:"], "tasks, a namespace as one word, no hidden task");
  // bash replaces only what follows the last ':' of the word (':' is in COMP_WORDBREAKS).
  t.strictSame(complete(["mity", "fw:"]).slice(1), ["apply", "lint", "rules:"]);
  t.strictSame(complete(["mity", "fw:rules:"]).slice(1), ["check"]);
  t.strictSame(complete(["mity", "de"]).slice(1), ["deploy"]);
  const params = complete(["mity", "deploy", "--"]).slice(1);
  for (const option of ["--env", "--dry-run", "--no-dry-run", "--tag", "--yes", "--list"]) t.ok(params.includes(option), `offers ${option}`);
  t.notOk(params.includes("--no-env"), "no --no- form for a string param");
  t.strictSame(complete(["mity", "--output", ""]).slice(1), ["auto", "tty", "prefix", "grouped", "raw", "json"]);
  t.strictSame(complete(["mity", "build", "au"]).slice(1), ["audit"], "a second task name");
});

t.test("bash without the bash-completion package: a word split at ':' still completes inside the namespace", async (t) => {
  const { script, shellRun } = await project(t, "bash");
  // COMP_WORDBREAKS holds ':', so this is how bash itself fills COMP_WORDS for `mity fw:a`.
  const { lines } = shellRun(["-c", `source ${quote(script)}; COMP_LINE='mity fw:a'; COMP_POINT=9; COMP_WORDS=(mity fw : a); COMP_CWORD=3; _mity_complete; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  t.strictSame(lines, ["apply"], "bash replaces only the word after ':'");
});

t.test("each candidate is offered once", async (t) => {
  const dir = tempTree(t, tree);
  const result = await runMity(["--get-completions", "--", "deploy", "--d"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(result.stdout.split("\n").filter(Boolean), ["--dry-run"]);
});

t.test("zsh: the script is valid and its function adds the candidates", { skip: installed("zsh") ? false : "zsh is not installed" }, async (t) => {
  const { script, text, shellRun } = await project(t, "zsh");
  t.match(text, /^#compdef mity\n/);
  t.match(text, /mity --get-completions -- /);
  t.equal(shellRun(["-n", script]).status, 0, "zsh -n accepts it");
  // compdef and compadd exist only with the completion system loaded: stand-ins print what they are given.
  const complete = (words: string[]) =>
    shellRun(["-fc", `compdef() { print -r -- "compdef $*" }; source ${quote(script)}; compadd() { print -r -- "compadd \${(j:,:)@}" }; words=(${words.map(quote).join(" ")}); CURRENT=${words.length}; _mity`]).lines;
  t.strictSame(complete(["mity", "fw:"]), ["compdef _mity mity", "compadd --,fw:apply,fw:lint", "compadd -S,,--,fw:rules:"], "a namespace is added without a trailing space");
  t.strictSame(complete(["mity", "deploy", "--t"]).slice(1, 2), ["compadd --,--tag"]);
});

t.test("fish: the script is valid and fish completes with it", { skip: installed("fish") ? false : "fish is not installed" }, async (t) => {
  const { script, text, shellRun } = await project(t, "fish");
  t.match(text, /mity --get-completions -- /);
  t.equal(shellRun(["-n", script]).status, 0, "fish -n accepts it");
  const complete = (line: string) => shellRun(["-c", `source ${quote(script)}; complete -C ${quote(line)}`]).lines;
  t.strictSame(complete("mity "), ["audit", "build", "deploy", "fw:"]);
  t.strictSame(complete("mity fw:a"), ["fw:apply"]);
  t.strictSame(complete("mity deploy --t"), ["--tag"]);
});

t.test("--completion needs no mityfile; a bad shell name is a usage error", async (t) => {
  const dir = tempTree(t, {});
  const ok = await runMity(["--completion", "bash"], { cwd: dir });
  exits(t, ok, 0);
  const bad = await runMity(["--completion", "tcsh"], { cwd: dir });
  exits(t, bad, 2);
  t.match(bad.stderr, /bash.*zsh.*fish/);
});

const candidates = (stdout: string) => stdout.split("\n").filter(Boolean);

t.test("-C, -f and -g on the line being completed: the tasks of that mityfile are offered", async (t) => {
  const dir = tempTree(t, {
    ...tree,
    "other/mityfile.ts": jsonMityfile({ tasks: { "other-task": { run: "true" } } }),
    "elsewhere/custom.ts": jsonMityfile({ tasks: { "custom-task": { run: "true" } } }),
    ".home/.config/mity/mityfile.ts": jsonMityfile({ tasks: { "mine-task": { run: "true" } } }),
  });
  const offered = async (words: string[]) => {
    const result = await runMity(["--get-completions", "--", ...words], { cwd: dir });
    exits(t, result, 0, words.join(" "));
    return candidates(result.stdout);
  };
  t.strictSame(await offered(["-C", "other", ""]), ["other-task"], "-C other");
  t.strictSame(await offered(["--cwd=other", ""]), ["other-task"], "--cwd=other");
  t.strictSame(await offered(["-f", "elsewhere/custom.ts", ""]), ["custom-task"], "-f");
  t.strictSame(await offered(["-g", ""]), ["mine-task"], "-g");
  t.strictSame(await offered(["build", "-C", "other", "oth"]), ["other-task"], "-C after a task name");
  t.strictSame(await offered([""]), ["audit", "build", "deploy", "fw:"], "without them, the nearest mityfile");
});

t.test("the value of a param: its choices, and no task names for a param without them", async (t) => {
  const dir = tempTree(t, tree);
  const offered = async (words: string[]) => candidates((await runMity(["--get-completions", "--", ...words], { cwd: dir })).stdout);
  t.strictSame(await offered(["deploy", "--env", ""]), ["staging", "prod"]);
  t.strictSame(await offered(["deploy", "--env", "st"]), ["staging"]);
  t.strictSame(await offered(["deploy", "--tag", ""]), [], "a free value: nothing to offer");
  t.strictSame(await offered(["-C", ""]), [], "a folder: left to the shell");
  t.strictSame(await offered(["deploy", "--dry-run", ""]), ["audit", "build", "deploy", "fw:"], "after a switch, task names again");
});
