import t from "tap";
import { endsByTask, exits } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

// A `run` string of several lines, as a template literal in a mityfile gives it.
const mityfile = `export default {
  tasks: {
    multi: { run: "echo one\\necho two\\nexit 3" },
    fn: { run: async ({ sh }) => { await sh\`echo a
exit 4\`; } },
  },
};
`;

/** Lines of prefix output that belong to no task and are not the summary: a command's continuation line. */
const strayLines = (text: string) =>
  text.split("\n").filter((line) => line !== "" && !/^\[multi\] /.test(line) && !/^(──|✖|✔|  full output|one|two|mity: )/.test(line));

t.test("-v: the $ line of a multi-line command is one line, with its task's prefix", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "prefix", "-v", "multi"], { cwd: dir });
  exits(t, result, 1);
  t.match(result.stdout, /^\[multi\] \$ echo one …$/m);
  t.strictSame(strayLines(result.stdout), [], "every line has the prefix");
  t.strictSame(strayLines(result.stderr), [], "the summary too");
  t.match(result.stderr + result.stdout, /exit code 3 from: echo one …/);
});

t.test("the failure reason names the command in one line", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "multi"], { cwd: dir });
  exits(t, result, 1);
  t.equal(endsByTask(events(result.stdout)).get("multi")?.reason, "exit code 3 from: echo one …");
});

t.test("GitHub Actions: the ::group:: title is one line", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "grouped", "multi"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
  exits(t, result, 1);
  t.match(result.stdout, /^::group::multi failed \(.*\): exit code 3 from: echo one …$/m);
  t.notMatch(result.stdout, /^echo two$/m, "no bare continuation line");
});

t.test("a failed sh command of several lines is named by one line", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "fn"], { cwd: dir });
  exits(t, result, 1);
  const reason = String(endsByTask(events(result.stdout)).get("fn")?.reason);
  t.notOk(reason.includes("\n"), "one line", { reason });
  t.match(reason, /^command failed with exit code 4: echo a … \(at mityfile\.ts:\d+:\d+\)$/, "the first line, then where the mityfile ran it");
});
