import t from "tap";
import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { endsByTask, exits } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

const mityfile = `export default {
  env: { SHARED: "from mityfile", OVERRIDE: "from mityfile" },
  tasks: {
    show: {
      cwd: "tools/bin",
      env: { OVERRIDE: "from task", OWN: "task only" },
      run: 'echo "$MITY_TASK|$MITY_ROOT|$SHARED|$OVERRIDE|$OWN|$FROM_OUTSIDE|$(pwd)"',
    },
    plain: { run: 'echo "$MITY_TASK|$OVERRIDE|\${OWN:-unset}|$(pwd)"' },
    fn: { cwd: "tools", env: { OWN: "fn env" }, run: (ctx) => {
      ctx.log(JSON.stringify({ name: ctx.name, cwd: ctx.cwd, args: ctx.args, own: ctx.env.OWN, task: ctx.env.MITY_TASK }));
    } },
    steps: { run: ["echo one", "touch two.txt", "exit 4", "echo three", "touch four.txt"] },
    missing: { cwd: "nope", run: "touch ran.txt" },
  },
};
`;

const outputOf = (stdout: string, task: string) =>
  events(stdout).filter((e) => e.event === "output" && e.task === task).map((e) => String(e.line));

t.test("MITY_TASK, MITY_ROOT, mityfile env and task env (task wins), cwd relative to the mityfile", async (t) => {
  const dir = realpathSync(tempTree(t, { "mityfile.ts": mityfile, "tools/bin/.keep": "", "elsewhere/.keep": "" }));
  const result = await runMity(["--output", "json", "show", "plain"], { cwd: join(dir, "elsewhere"), env: { FROM_OUTSIDE: "outside", OVERRIDE: "outside" } });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "show"), [`show|${dir}|from mityfile|from task|task only|outside|${join(dir, "tools", "bin")}`]);
  t.strictSame(outputOf(result.stdout, "plain"), [`plain|from mityfile|unset|${dir}`], "another task gets no other task's env");
});

t.test("a run function gets its name, cwd, env and the args after --", async (t) => {
  const dir = realpathSync(tempTree(t, { "mityfile.ts": mityfile, "tools/.keep": "" }));
  const result = await runMity(["--output", "json", "fn", "--", "one", "two words", "--flag"], { cwd: dir });
  exits(t, result, 0);
  const [line] = outputOf(result.stdout, "fn");
  t.strictSame(JSON.parse(line ?? "null"), { name: "fn", cwd: join(dir, "tools"), args: ["one", "two words", "--flag"], own: "fn env", task: "fn" });
  const none = await runMity(["--output", "json", "fn"], { cwd: dir });
  t.match(JSON.parse(outputOf(none.stdout, "fn")[0] ?? "null"), { args: [] }, "no -- means no args");
});

t.test("a command array stops at the first failing command", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "steps"], { cwd: dir });
  exits(t, result, 1);
  t.strictSame(outputOf(result.stdout, "steps"), ["one"]);
  t.ok(existsSync(join(dir, "two.txt")), "commands before the failure ran");
  t.notOk(existsSync(join(dir, "four.txt")), "commands after it did not");
  t.match(endsByTask(events(result.stdout)).get("steps"), { state: "failed", exitCode: 4, reason: /exit 4/ });
});

t.test("a task whose cwd does not exist fails and runs nothing", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "missing"], { cwd: dir });
  t.not(result.code, 0, "not a success");
  t.match(result.stdout + result.stderr, join(dir, "nope"), "the message names the directory");
  t.notOk(existsSync(join(dir, "ran.txt")));
});

t.test("a task finds the node_modules/.bin that an earlier task of the same run made", async (t) => {
  // install makes the folder (as npm ci would); build, in the same cwd, runs the tool from it.
  const tasks = `export default { tasks: {
    install: { run: "mkdir -p node_modules/.bin && printf '#!/bin/sh\\\\necho tool ran\\\\n' > node_modules/.bin/tool && chmod +x node_modules/.bin/tool" },
    build: { deps: ["install"], run: "tool" },
  } };
`;
  const dir = tempTree(t, { "mityfile.ts": tasks });
  const result = await runMity(["--output", "json", "build"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "build"), ["tool ran"]);
});
