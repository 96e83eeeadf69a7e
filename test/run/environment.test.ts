import t from "tap";
import { delimiter, join } from "node:path";
import { localBinDirs, taskEnvironments } from "../../lib/run/environment.js";
import type { TaskNode } from "../../lib/graph/graph.js";

const task = (fields: Partial<TaskNode>): TaskNode => ({ name: "t", cwd: "/srv/app", fileEnv: {}, ownEnv: {}, secrets: [], ...fields }) as TaskNode;

t.test("node_modules/.bin of the folder and of every folder above it, nearest first, as npm gives them", async (t) => {
  t.strictSame(localBinDirs("/srv/app/web"), ["/srv/app/web", "/srv/app", "/srv", "/"].map((dir) => join(dir, "node_modules", ".bin")));
});

t.test("later sources win; mity's own variables cannot be overridden; outer params are dropped", async (t) => {
  const environment = taskEnvironments({ HOME: "/home/a", STAGE: "shell", MITY_PARAM_OLD: "outer", PATH: "/usr/bin" }, "/srv");
  const env = environment.env(task({ name: "deploy", fileEnv: { STAGE: "file", A: "file" }, ownEnv: { A: "task", MITY_TASK: "mine" } }), {
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
  const a = environment.env(task({ cwd: "/a" }));
  a.EXTRA = "x";
  const b = environment.env(task({ cwd: "/a", ownEnv: { PATH: "/opt/bin" } }));
  t.notOk("EXTRA" in b, "a task's changes do not reach the next");
  t.equal(b.PATH, [...localBinDirs("/a"), "/opt/bin"].join(delimiter));
  t.equal(environment.env(task({ cwd: "/a" })).PATH, [...localBinDirs("/a"), "/usr/bin"].join(delimiter));
});

t.test("without any PATH, the folders alone", async (t) => {
  t.equal(taskEnvironments({}, "/srv").env(task({ cwd: "/x" })).PATH, localBinDirs("/x").join(delimiter));
});

t.test("the mask hides values of secret-looking names from every layer, and of declared names; '!NAME' opts out", async (t) => {
  const environment = taskEnvironments({ GITHUB_TOKEN: "ghp_process", HOME: "/home/a", BUILD_ID: "build-1234", PATH: "/usr/bin" }, "/srv");
  const mask = environment.mask(task({ fileEnv: { DB_PASSWORD: "hunter22" }, ownEnv: { Stripe_Api_Key: "sk_live_1" } }), {
    dotenv: { HCLOUD_TOKEN: "hc-abcdef" },
    params: { MITY_PARAM_TOKEN: "from-cli" },
  });
  t.ok(mask);
  t.equal(mask!("ghp_process hunter22 hc-abcdef from-cli sk_live_1 /home/a build-1234"), "*** *** *** *** *** /home/a build-1234", "names match in any case");
  const declared = environment.mask(task({ secrets: ["BUILD_ID", "!GITHUB_TOKEN"] }));
  t.equal(declared!("ghp_process build-1234"), "ghp_process ***", "a later task entry and an opt-out both count");
});

t.test("no secrets, no mask; short values are left alone; multi-line values are hidden line by line", async (t) => {
  t.equal(taskEnvironments({ HOME: "/home/a" }, "/srv").mask(task({})), undefined);
  t.equal(taskEnvironments({ MY_TOKEN: "abc" }, "/srv").mask(task({})), undefined, "under four characters");
  const key = "-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----";
  const mask = taskEnvironments({ SSH_PRIVATE_KEY: key }, "/srv").mask(task({}))!;
  t.equal(mask("got MIIBOgIBAAJBAK here"), "got *** here");
});

t.test("a value that holds another is hidden whole; tasks with the same secrets share one mask", async (t) => {
  const environment = taskEnvironments({ A_TOKEN: "abcd", B_TOKEN: "abcdefgh", C_SECRET: "a.c*d+" }, "/srv");
  const mask = environment.mask(task({}))!;
  t.equal(mask("abcdefgh abcd a.c*d+ axcd"), "*** *** *** axcd", "regex characters in values are taken literally");
  t.equal(environment.mask(task({ name: "other" })), mask);
});
