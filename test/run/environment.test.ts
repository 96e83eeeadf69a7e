import t from "tap";
import { delimiter, join } from "node:path";
import { localBinDirs, taskEnvironments } from "../../lib/run/environment.js";
import type { TaskNode } from "../../lib/graph/graph.js";

const task = (fields: Partial<TaskNode>): TaskNode => ({ name: "t", cwd: "/srv/app", fileEnv: {}, ownEnv: {}, ...fields }) as TaskNode;

t.test("node_modules/.bin of the folder and of every folder above it, nearest first, as npm gives them", async (t) => {
  t.strictSame(localBinDirs("/srv/app/web"), ["/srv/app/web", "/srv/app", "/srv", "/"].map((dir) => join(dir, "node_modules", ".bin")));
});

t.test("later sources win; mity's own variables cannot be overridden; outer params are dropped", async (t) => {
  const environment = taskEnvironments({ HOME: "/home/a", STAGE: "shell", MITY_PARAM_OLD: "outer", PATH: "/usr/bin" }, "/srv");
  const env = environment(task({ name: "deploy", fileEnv: { STAGE: "file", A: "file" }, ownEnv: { A: "task", MITY_TASK: "mine" } }), {
    dotenv: { STAGE: "dotenv" },
    params: { MITY_PARAM_REGION: "eu" },
  });
  t.equal(env.HOME, "/home/a");
  t.equal(env.STAGE, "dotenv");
  t.equal(env.A, "task");
  t.equal(env.MITY_TASK, "deploy");
  t.equal(env.MITY_ROOT, "/srv");
  t.equal(env.MITY_PARAM_REGION, "eu");
  t.notOk("MITY_PARAM_OLD" in env);
  t.equal(env.PATH, [...localBinDirs("/srv/app"), "/usr/bin"].join(delimiter));
});

t.test("each task gets an object of its own; PATH is put in front of the task's own PATH", async (t) => {
  const environment = taskEnvironments({ PATH: "/usr/bin" }, "/srv");
  const a = environment(task({ cwd: "/a" }));
  a.EXTRA = "x";
  const b = environment(task({ cwd: "/a", ownEnv: { PATH: "/opt/bin" } }));
  t.notOk("EXTRA" in b, "a task's changes do not reach the next");
  t.equal(b.PATH, [...localBinDirs("/a"), "/opt/bin"].join(delimiter));
  t.equal(environment(task({ cwd: "/a" })).PATH, [...localBinDirs("/a"), "/usr/bin"].join(delimiter));
});

t.test("without any PATH, the folders alone", async (t) => {
  t.equal(taskEnvironments({}, "/srv")(task({ cwd: "/x" })).PATH, localBinDirs("/x").join(delimiter));
});
