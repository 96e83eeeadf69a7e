import t from "tap";
import type { MityfileSource } from "../../lib/config/includes.js";
import { resolveGraph } from "../../lib/graph/resolve.js";
import { MityError } from "../../lib/util/errors.js";

const ROOT = "/p/mityfile.ts";
const FW = "/p/infra/fw/mityfile.ts";
const SUB = "/p/infra/fw/sub/mityfile.ts";

const root = (config: unknown): MityfileSource => ({ file: ROOT, namespace: "", config });

function failure(sources: MityfileSource[]): MityError {
  try {
    resolveGraph(sources);
  } catch (error) {
    if (error instanceof MityError) return error;
    throw error;
  }
  throw new Error("resolveGraph accepted the sources");
}

t.test("the graph's files: each mityfile and the modules it was built from, once each", async (t) => {
  const graph = resolveGraph([
    { ...root({ tasks: { a: {} } }), modules: [ROOT, "/p/tasks/shared.ts"] },
    { file: FW, namespace: "fw", config: { tasks: { b: {} } }, modules: [FW, "/p/tasks/shared.ts"] },
  ]);
  t.strictSame(graph.files, [ROOT, "/p/tasks/shared.ts", FW]);
  t.strictSame(resolveGraph([root({ tasks: { a: {} } })]).files, [ROOT], "a mityfile given without its modules counts as itself");
});

t.test("a root with an include: full names, files, namespaces and the root directory", async (t) => {
  const graph = resolveGraph([
    root({ default: "build", tasks: { build: { description: "Compile", run: "tsc" }, test: { deps: ["build"], run: ["a", "b"] } } }),
    { file: FW, namespace: "fw", config: { tasks: { plan: { run: "terraform plan" }, apply: { deps: ["plan"], hidden: true } } } },
  ]);
  t.equal(graph.file, ROOT);
  t.equal(graph.root, "/p");
  t.strictSame([...graph.tasks.keys()], ["build", "test", "fw:plan", "fw:apply"]);
  t.equal(graph.defaultTask, "build");
  t.strictSame(graph.hooks, {});
  const apply = graph.tasks.get("fw:apply")!;
  t.equal(apply.name, "fw:apply");
  t.equal(apply.file, FW);
  t.equal(apply.namespace, "fw");
  t.strictSame(apply.deps, ["fw:plan"]);
  t.equal(apply.run, undefined);
  t.equal(apply.hidden, true);
  t.equal(apply.cwd, "/p/infra/fw");
  const build = graph.tasks.get("build")!;
  t.equal(build.description, "Compile");
  t.strictSame(build.run, ["tsc"], "a command string becomes a list of one");
  t.strictSame(graph.tasks.get("test")!.run, ["a", "b"]);
  t.equal(build.hidden, false);
  t.equal(build.interactive, false);
  t.equal(build.lock, undefined);
  t.equal(build.concurrent, undefined);
  t.equal(build.timeout, undefined);
  t.ok(Object.isFrozen(build), "nodes are immutable");
  t.ok(Object.isFrozen(build.deps));
  t.ok(Object.isFrozen(graph));
});

t.test("fields are carried over: run function, concurrent, interactive, lock", async (t) => {
  const fn = () => "done";
  const graph = resolveGraph([root({ tasks: { a: { run: fn, concurrent: false, interactive: true, lock: "state" } } })]);
  const a = graph.tasks.get("a")!;
  t.equal(a.run, fn);
  t.equal(a.concurrent, false);
  t.equal(a.interactive, true);
  t.equal(a.lock, "state");
});

t.test("the run list is a copy: changing the config later does not change the graph", async (t) => {
  const run = ["one", "two"];
  const graph = resolveGraph([root({ tasks: { a: { run } } })]);
  run.push("three");
  t.strictSame(graph.tasks.get("a")!.run, ["one", "two"]);
});

t.test("deps resolve in the task's namespace first, then enclosing ones, and `:` means the root", async (t) => {
  const graph = resolveGraph([
    root({ tasks: { build: {}, lint: {}, plan: {} } }),
    { file: FW, namespace: "fw", config: { tasks: { plan: {}, build: {}, apply: { deps: ["plan", "lint", ":build", "sub:check"] } } } },
    { file: SUB, namespace: "fw:sub", config: { tasks: { check: { deps: ["build", "plan", ":plan"] }, own: { deps: ["check"] } } } },
  ]);
  t.strictSame(graph.tasks.get("fw:apply")!.deps, ["fw:plan", "lint", "build", "fw:sub:check"]);
  t.strictSame(graph.tasks.get("fw:sub:check")!.deps, ["fw:build", "fw:plan", "plan"]);
  t.strictSame(graph.tasks.get("fw:sub:own")!.deps, ["fw:sub:check"]);
});

t.test("deps keep their declared order and a repeated dep counts once", async (t) => {
  const graph = resolveGraph([root({ tasks: { z: {}, y: {}, x: {}, all: { deps: ["z", "x", "y", "x", ":z"] } } })]);
  t.strictSame(graph.tasks.get("all")!.deps, ["z", "x", "y"]);
});

t.test("cwd is relative to the declaring mityfile's directory", async (t) => {
  const graph = resolveGraph([
    root({ tasks: { here: {}, down: { cwd: "packages/app" }, up: { cwd: "../elsewhere" }, abs: { cwd: "/srv/data" }, dot: { cwd: "./src/" } } }),
    { file: FW, namespace: "fw", config: { tasks: { here: {}, mod: { cwd: "modules" }, parent: { cwd: ".." } } } },
  ]);
  const cwd = (name: string) => graph.tasks.get(name)!.cwd;
  t.equal(cwd("here"), "/p");
  t.equal(cwd("down"), "/p/packages/app");
  t.equal(cwd("up"), "/elsewhere");
  t.equal(cwd("abs"), "/srv/data");
  t.equal(cwd("dot"), "/p/src");
  t.equal(cwd("fw:here"), "/p/infra/fw");
  t.equal(cwd("fw:mod"), "/p/infra/fw/modules");
  t.equal(cwd("fw:parent"), "/p/infra");
});

t.test("env: the mityfile's env, then the task's own on top", async (t) => {
  const graph = resolveGraph([
    root({ env: { A: "root", B: "root" }, tasks: { plain: {}, own: { env: { B: "task", C: "task" } } } }),
    { file: FW, namespace: "fw", config: { env: { D: "fw" }, tasks: { apply: { env: { E: "task" } } } } },
  ]);
  t.strictSame(graph.tasks.get("plain")!.env, { A: "root", B: "root" });
  t.strictSame(graph.tasks.get("own")!.env, { A: "root", B: "task", C: "task" });
  t.ok(Object.isFrozen(graph.tasks.get("own")!.env));
  const apply = graph.tasks.get("fw:apply")!.env;
  t.equal(apply.D, "fw");
  t.equal(apply.E, "task");
  // SPEC §1: the root's env is "added to every task's environment" (TF_IN_AUTOMATION for the included firewall tasks).
  t.strictSame(apply, { A: "root", B: "root", D: "fw", E: "task" }, "an included task gets the root env too", {
  });
});

t.test("secrets: the root's, then an included file's, then the task's own, in order", async (t) => {
  const graph = resolveGraph([
    root({ secrets: ["A", "!B_TOKEN"], tasks: { plain: {}, own: { secrets: ["B_TOKEN"] } } }),
    { file: FW, namespace: "fw", config: { secrets: ["C"], tasks: { apply: { secrets: ["!A"] } } } },
  ]);
  t.strictSame(graph.tasks.get("plain")!.secrets, ["A", "!B_TOKEN"]);
  t.strictSame(graph.tasks.get("own")!.secrets, ["A", "!B_TOKEN", "B_TOKEN"]);
  t.strictSame(graph.tasks.get("fw:apply")!.secrets, ["A", "!B_TOKEN", "C", "!A"]);
  t.ok(Object.isFrozen(graph.tasks.get("own")!.secrets));
});

t.test("timeouts are parsed into milliseconds", async (t) => {
  const graph = resolveGraph([root({ tasks: { ms: { timeout: 1500 }, s: { timeout: "90s" }, m: { timeout: "5m" }, h: { timeout: "1.5h" }, none: {} } })]);
  const timeout = (name: string) => graph.tasks.get(name)!.timeout;
  t.equal(timeout("ms"), 1500);
  t.equal(timeout("s"), 90_000);
  t.equal(timeout("m"), 300_000);
  t.equal(timeout("h"), 5_400_000);
  t.equal(timeout("none"), undefined);
});

t.test("default and hooks are looked up from the root, namespaced names included", async (t) => {
  const graph = resolveGraph([
    root({ default: "fw:apply", hooks: { "pre-commit": ["lint", "fw:apply", ":lint"], "pre-push": [] }, tasks: { lint: {} } }),
    { file: FW, namespace: "fw", config: { tasks: { apply: {} } } },
  ]);
  t.equal(graph.defaultTask, "fw:apply");
  t.strictSame(graph.hooks, { "pre-commit": ["lint", "fw:apply", "lint"], "pre-push": [] });
  t.equal(resolveGraph([root({ tasks: { a: {} } })]).defaultTask, undefined);
});

t.test("an included mityfile's own default and hooks are not the root's", async (t) => {
  const graph = resolveGraph([
    root({ tasks: { a: {} } }),
    { file: FW, namespace: "fw", config: { default: "apply", hooks: { "pre-commit": ["apply"] }, tasks: { apply: {} } } },
  ]);
  t.equal(graph.defaultTask, undefined);
  t.strictSame(graph.hooks, {});
});

t.test("mistakes name the file, the task and the field", async (t) => {
  const cases: [string, MityfileSource[], string][] = [
    [
      "same namespace loaded twice",
      [root({ tasks: {} }), { file: FW, namespace: "fw", config: { tasks: { apply: {} } } }, { file: SUB, namespace: "fw", config: { tasks: { apply: {} } } }],
      `${SUB}: task "apply": duplicate task name "fw:apply": also declared in ${FW}`,
    ],
    [
      "missing dep with a suggestion",
      [root({ tasks: { build: {}, test: { deps: ["biuld"] } } })],
      `${ROOT}: task "test", field "deps": depends on "biuld", which does not exist. Did you mean "build"?`,
    ],
    [
      "missing dep without a suggestion",
      [root({ tasks: { test: { deps: ["compile-everything"] } } })],
      `${ROOT}: task "test", field "deps": depends on "compile-everything", which does not exist.`,
    ],
    [
      "missing dep in an include, found elsewhere in a namespace",
      [root({ tasks: {} }), { file: FW, namespace: "fw", config: { tasks: { apply: { deps: ["check"] } } } }, { file: SUB, namespace: "fw:sub", config: { tasks: { check: {} } } }],
      `${FW}: task "fw:apply", field "deps": depends on "check", which does not exist. Did you mean "fw:sub:check"?`,
    ],
    [
      "root dep that exists only in a namespace",
      [root({ tasks: { build: {} } }), { file: FW, namespace: "fw", config: { tasks: { apply: { deps: [":apply"] } } } }],
      `${FW}: task "fw:apply", field "deps": depends on ":apply", which does not exist. Did you mean "fw:apply"?`,
    ],
    ["self dep", [root({ tasks: { a: { deps: ["a"] } } })], `${ROOT}: task "a", field "deps": a task cannot depend on itself`],
    [
      "self dep through its namespace",
      [root({ tasks: {} }), { file: FW, namespace: "fw", config: { tasks: { apply: { deps: ["apply"] } } } }],
      `${FW}: task "fw:apply", field "deps": a task cannot depend on itself`,
    ],
    [
      "cycle",
      [root({ tasks: { a: { deps: ["b"] }, b: { deps: ["c"] }, c: { deps: ["a"] } } })],
      `${ROOT}: task "a", field "deps": dependency cycle: a -> b -> c -> a`,
    ],
    [
      "cycle across an include",
      [root({ tasks: { build: { deps: ["fw:apply"] } } }), { file: FW, namespace: "fw", config: { tasks: { apply: { deps: ["plan"] }, plan: { deps: [":build"] } } } }],
      `${ROOT}: task "build", field "deps": dependency cycle: build -> fw:apply -> fw:plan -> build`,
    ],
    ["unknown default", [root({ default: "biuld", tasks: { build: {} } })], `${ROOT}: field "default": names "biuld", which does not exist. Did you mean "build"?`],
    [
      "unknown hook task",
      [root({ hooks: { "pre-commit": ["lint", "tets"] }, tasks: { lint: {}, test: {} } })],
      `${ROOT}: field "hooks.pre-commit": names "tets", which does not exist. Did you mean "test"?`,
    ],
    [
      "invalid field in an included file",
      [root({ tasks: {} }), { file: FW, namespace: "fw", config: { tasks: { apply: { run: 1 } } } }],
      `${FW}: task "apply", field "run": must be a command string, an array of them, or a function, not a number`,
    ],
  ];
  for (const [name, sources, expected] of cases) t.equal(failure(sources).describe(), expected, name);
});

t.test("the cycle is reported from the first task on it, whatever the declaration order", async (t) => {
  const error = failure([root({ tasks: { entry: { deps: ["x"] }, x: { deps: ["y"] }, y: { deps: ["x"] } } })]);
  t.equal(error.message, "dependency cycle: x -> y -> x");
  t.equal(error.task, "x");
});

t.test("needs the root mityfile", async (t) => {
  t.throws(() => resolveGraph([]));
});

t.test("a chain of 5000 tasks resolves without overflowing the stack", async (t) => {
  const tasks: Record<string, { deps?: string[] }> = { t0: {} };
  for (let i = 1; i < 5000; i++) tasks[`t${i}`] = { deps: [`t${i - 1}`] };
  const graph = resolveGraph([root({ tasks })]);
  t.equal(graph.tasks.size, 5000);
  t.strictSame(graph.tasks.get("t4999")!.deps, ["t4998"]);
});
