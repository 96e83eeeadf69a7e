import t from "tap";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { endsByTask, exits } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

// Written with plain strings: the mityfile's own template literals must reach it unescaped.
const mityfile = [
  "export default { tasks: {",
  "  quote: { run: async ({ sh }) => { const value = \"a b; touch pwned\"; await sh`printf '%s\\n' ${value}`; } },",
  "  tricky: { run: async ({ sh }) => { const value = \"it's $HOME `id` \\\"q\\\" \\\\ *\"; await sh`printf '<%s>\\n' ${value}`; } },",
  "  empty: { run: async ({ sh }) => { await sh`printf '<%s>\\n' ${\"\"} ${\"x\"}`; } },",
  "  many: { run: async ({ sh }) => { await sh`printf '<%s>\\n' ${[\"x y\", \"z;touch pwned2\"]} end`; } },",
  "  fails: { run: async ({ sh, log }) => { await sh`echo before`; await sh`exit 7`; log(\"not reached\"); } },",
  "  caught: { run: async ({ sh, log }) => { try { await sh`exit 5`; } catch (e) { log(`caught ${e.exitCode}`); } } },",
  "  where: { cwd: \"sub\", env: { WHO: \"task env\" }, run: async ({ sh }) => { await sh`sh -c 'echo \"$WHO in $(basename $(pwd))\"'`; } },",
  "} };",
  "",
].join("\n");

const outputOf = (stdout: string, task: string) =>
  events(stdout).filter((e) => e.event === "output" && e.task === task).map((e) => String(e.line));

t.test("ctx.sh quotes an interpolated value as one argument: no injection", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, "sub/.keep": "" });
  const result = await runMity(["--output", "json", "quote", "tricky", "empty"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "quote"), ["a b; touch pwned"], "printed as one line");
  t.strictSame(outputOf(result.stdout, "tricky"), ["<it's $HOME `id` \"q\" \\ *>"], "quotes, $, backticks, backslash and globs stay literal");
  t.strictSame(outputOf(result.stdout, "empty"), ["<>", "<x>"], "an empty string is still one argument");
  t.notOk(existsSync(join(dir, "pwned")), "no file pwned was created");
});

t.test("ctx.sh passes an array as several arguments, each quoted", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, "sub/.keep": "" });
  const result = await runMity(["--output", "json", "many"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "many"), ["<x y>", "<z;touch pwned2>", "<end>"]);
  t.strictSame(readdirSync(dir).filter((name) => name.startsWith("pwned")), []);
});

t.test("a failing ctx.sh command fails the task with its exit code", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, "sub/.keep": "" });
  const result = await runMity(["--output", "json", "fails"], { cwd: dir });
  exits(t, result, 1);
  t.strictSame(outputOf(result.stdout, "fails"), ["before"], "the function stopped at the failure");
  t.match(endsByTask(events(result.stdout)).get("fails"), { state: "failed", exitCode: 7, reason: /7/ });
});

t.test("a failing ctx.sh command rejects with the exit code, which the function may catch", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, "sub/.keep": "" });
  const result = await runMity(["--output", "json", "caught"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "caught"), ["caught 5"]);
  t.match(endsByTask(events(result.stdout)).get("caught"), { state: "ok" });
});

t.test("ctx.sh runs in the task's cwd and env", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, "sub/.keep": "" });
  const result = await runMity(["--output", "json", "where"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "where"), ["task env in sub"]);
});

t.test("errors thrown by mity are instances of the classes a mityfile imports from mity", async (t) => {
  // mity's command line runs from its bundle; the mityfile gets the package: two copies of each class.
  const source = [
    'import { CommandError, MityError } from "mity";',
    "export default { tasks: {",
    "  check: { run: async ({ sh, log }) => {",
    "    try { await sh`exit 3`; } catch (e) { log(`CommandError ${e instanceof CommandError} ${e.exitCode}`); }",
    '    log(`plain Error ${new Error("x") instanceof CommandError} ${new Error("x") instanceof MityError}`);',
    "  } },",
    "} };",
    "",
  ].join("\n");
  const dir = tempTree(t, { "mityfile.ts": source });
  const result = await runMity(["--output", "json", "check"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "check"), ["CommandError true 3", "plain Error false false"]);
});
