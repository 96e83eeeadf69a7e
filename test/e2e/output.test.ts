import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { events, runMity, tempTree } from "../helpers/mity.js";

const mityfile = `export default { tasks: {
  build: { run: "echo compiling; echo warning >&2" },
  test: { deps: ["build"], run: "echo testing" },
  "ns-fail": { run: "echo broken; exit 3" },
  deploy: { deps: ["test", "ns-fail"], run: "echo never" },
} };`;

t.test("prefix: every line tagged, a start and an end line per task, stderr kept apart", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["test"], { cwd: dir });
  t.equal(result.code, 0);
  t.match(result.stdout, /^\[build\] started$/m);
  t.match(result.stdout, /^\[build\] compiling$/m);
  t.match(result.stderr, /^\[build\] warning$/m);
  t.match(result.stdout, /^\[build\] ok \(\d+ms\)$/m);
  t.match(result.stdout, /^\[test\]\s+testing$/m);
  t.match(result.stderr, /✔ mity: ok · 2 ok · \d+ms/);
});

t.test("the summary names what did not succeed, shows failed output again and where the logs are", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deploy", "-k"], { cwd: dir });
  t.equal(result.code, 1);
  t.match(result.stderr, /── output of ns-fail \(failed\) ──\nbroken\n/);
  t.match(result.stderr, /✖ failed\s+ns-fail\s+exit code 3 from: echo broken; exit 3/);
  t.match(result.stderr, /○ skipped\s+deploy\s+dep "ns-fail" failed/);
  t.match(result.stderr, /✖ mity: failed · 2 ok, 1 failed, 1 skipped/);
  const logs = /full output of each task: (\S+)/.exec(result.stderr)?.[1];
  t.ok(logs, "the summary says where the logs are");
  t.match(readFileSync(join(dir, logs!, "ns-fail.log"), "utf8"), /broken\n\[mity\] failed after \d+ ms, exit code 3/);
  t.match(readFileSync(join(dir, logs!, "build.log"), "utf8"), /compiling\nwarning\n/);
});

t.test("run logs keep only the last 10 runs, and .mity ignores itself in git", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { a: { run: "echo a" } } };` });
  for (let i = 0; i < 12; i++) t.equal((await runMity(["a", "-s"], { cwd: dir })).code, 0);
  t.equal(readdirSync(join(dir, ".mity", "logs")).length, 10);
  t.equal(readFileSync(join(dir, ".mity", ".gitignore"), "utf8"), "*\n");
});

t.test("a run whose tasks succeed in silence leaves no log folder, and the summary names none", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { quiet: { run: "true" }, loud: { run: "echo hi" } } };` });
  const quiet = await runMity(["quiet", "-v"], { cwd: dir });
  t.equal(quiet.code, 0, quiet.stderr);
  t.notOk(existsSync(join(dir, ".mity", "logs")), "no folder");
  t.notMatch(quiet.stderr, /full output of each task/);
  const loud = await runMity(["loud", "-v"], { cwd: dir });
  const logs = /full output of each task: (\S+)/.exec(loud.stderr)?.[1];
  t.ok(logs, loud.stderr);
  t.equal(readFileSync(join(dir, logs!, "loud.log"), "utf8").split("\n")[1], "hi");
});

t.test("-s prints only failures and their summary; -v shows each command", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const quiet = await runMity(["test", "-s"], { cwd: dir });
  t.equal(quiet.code, 0);
  t.equal(quiet.stdout, "");
  t.equal(quiet.stderr, "");
  const failing = await runMity(["ns-fail", "-s"], { cwd: dir });
  t.equal(failing.stdout, "");
  t.match(failing.stderr, /── output of ns-fail \(failed\) ──\nbroken/);
  const loud = await runMity(["build", "-v"], { cwd: dir });
  t.match(loud.stdout, /^\[build\] \$ echo compiling; echo warning >&2$/m);
});

t.test("grouped: one block per task; under GitHub Actions a ::group:: and an ::error:: for a failure", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const plain = await runMity(["deploy", "-k", "--parallel", "--output", "grouped"], { cwd: dir });
  t.match(plain.stdout, /── build ok \(\d+ms\) ──\ncompiling\nwarning\n/);
  const actions = await runMity(["deploy", "-k", "--output", "grouped"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
  t.match(actions.stdout, /::group::build ok \(\d+ms\)\ncompiling\nwarning\n::endgroup::\n/);
  t.match(actions.stdout, /::group::ns-fail failed \(\d+ms\): exit code 3 from: echo broken; exit 3\nbroken\n::endgroup::\n::error title=mity: ns-fail failed::exit code 3 from: echo broken; exit 3\n/);
});

t.test("json: only JSON on stdout, exactly one end per selected task", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deploy", "--output", "json"], { cwd: dir });
  t.equal(result.code, 1);
  const all = events(result.stdout);
  const ends = all.filter((e) => e.event === "end").map((e) => e.task).sort();
  t.same(ends, ["build", "deploy", "ns-fail", "test"]);
  t.equal(all.at(-1)?.event, "summary");
});

t.test("colour: off without a terminal, on with FORCE_COLOR, off again with NO_COLOR", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const plain = await runMity(["build"], { cwd: dir, env: { NO_COLOR: undefined } });
  t.notMatch(plain.stdout, /\u001b\[/);
  const forced = await runMity(["build"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
  t.match(forced.stdout, /\u001b\[36m\[build\]/);
  const both = await runMity(["build"], { cwd: dir, env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
  t.notMatch(both.stdout, /\u001b\[/);
  const dumb = await runMity(["build"], { cwd: dir, env: { NO_COLOR: undefined, TERM: "dumb" } });
  t.notMatch(dumb.stdout, /\u001b\[/);
});
