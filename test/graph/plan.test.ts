import t from "tap";
import { orderTasks, resolveRequested, selectTasks } from "../../lib/graph/plan.js";
import { resolveGraph } from "../../lib/graph/resolve.js";
import type { Graph } from "../../lib/graph/graph.js";
import { MityError } from "../../lib/util/errors.js";

const FILE = "/p/mityfile.ts";

function graphOf(tasks: Record<string, { deps?: string[] }>, included: Record<string, { deps?: string[] }> = {}): Graph {
  return resolveGraph([
    { file: FILE, namespace: "", config: { tasks } },
    { file: "/p/fw/mityfile.ts", namespace: "fw", config: { tasks: included } },
  ]);
}

const names = (tasks: readonly { name: string }[]) => tasks.map((task) => task.name);

// build <- test <- ci; lint <- ci; docs is on its own; fw:apply <- fw:plan <- build
const GRAPH = graphOf(
  { build: {}, lint: {}, test: { deps: ["build"] }, ci: { deps: ["lint", "test"] }, docs: {}, "test-all": { deps: ["test"] } },
  { plan: { deps: [":build"] }, apply: { deps: ["plan"] } },
);

t.test("resolveRequested: names from the root, namespaced or not", async (t) => {
  t.strictSame(resolveRequested(GRAPH, ["ci", "fw:apply", ":docs"]), ["ci", "fw:apply", "docs"]);
  t.strictSame(resolveRequested(GRAPH, []), []);
});

t.test("resolveRequested: an unknown name names the mityfile and suggests the closest", async (t) => {
  const cases: [string, string][] = [
    ["biuld", `task "biuld" does not exist in ${FILE}. Did you mean "build"? Run "mity --list" to see the tasks.`],
    ["testall", `task "testall" does not exist in ${FILE}. Did you mean "test-all"? Run "mity --list" to see the tasks.`],
    ["apply", `task "apply" does not exist in ${FILE}. Did you mean "fw:apply"? Run "mity --list" to see the tasks.`],
    ["zzzzzzzzzz", `task "zzzzzzzzzz" does not exist in ${FILE}. Run "mity --list" to see the tasks.`],
  ];
  for (const [name, expected] of cases) {
    const error = t.throws(() => resolveRequested(GRAPH, ["build", name]));
    t.ok(error instanceof MityError, `${name}: a MityError`);
    t.equal((error as MityError).message, expected, name);
  }
});

t.test("selectTasks: the requested tasks and all their deps, in declaration order", async (t) => {
  t.strictSame(names(selectTasks(GRAPH, ["ci"])), ["build", "lint", "test", "ci"]);
  t.strictSame(names(selectTasks(GRAPH, ["fw:apply"])), ["build", "fw:plan", "fw:apply"]);
  t.strictSame(names(selectTasks(GRAPH, ["docs", "test"])), ["build", "test", "docs"]);
  t.strictSame(names(selectTasks(GRAPH, [])), []);
});

t.test("orderTasks: deps first, in their declared order, each task once", async (t) => {
  t.strictSame(names(orderTasks(GRAPH, ["ci"])), ["lint", "build", "test", "ci"]);
  t.strictSame(names(orderTasks(GRAPH, ["ci", "test-all", "fw:apply"])), ["lint", "build", "test", "ci", "test-all", "fw:plan", "fw:apply"]);
  t.strictSame(names(orderTasks(GRAPH, ["docs", "lint"])), ["docs", "lint"], "requested order, not declaration order");
  t.strictSame(names(orderTasks(GRAPH, ["test", "build"])), ["build", "test"], "a dep asked for again is not repeated");
});

t.test("orderTasks keeps the declared order of deps, not the alphabet", async (t) => {
  const graph = graphOf({ a: {}, b: {}, c: { deps: ["a"] }, z: { deps: ["b"] }, top: { deps: ["z", "c", "b", "a"] } });
  t.strictSame(names(orderTasks(graph, ["top"])), ["b", "z", "a", "c", "top"]);
});

t.test("orderTasks: a diamond runs its base once, before both sides", async (t) => {
  const graph = graphOf({ base: {}, left: { deps: ["base"] }, right: { deps: ["base"] }, top: { deps: ["right", "left"] } });
  t.strictSame(names(orderTasks(graph, ["top"])), ["base", "right", "left", "top"]);
});

t.test("orderTasks: a chain of 5000 tasks does not overflow the stack", async (t) => {
  const tasks: Record<string, { deps?: string[] }> = { t0: {} };
  for (let i = 1; i < 5000; i++) tasks[`t${i}`] = { deps: [`t${i - 1}`] };
  const graph = graphOf(tasks);
  const order = names(orderTasks(graph, ["t4999"]));
  t.equal(order.length, 5000);
  t.strictSame(order, Array.from({ length: 5000 }, (_, i) => `t${i}`));
  t.equal(selectTasks(graph, ["t4999"]).length, 5000);
});

t.test("orderTasks: 5000 deps of one task, in declared order", async (t) => {
  const tasks: Record<string, { deps?: string[] }> = {};
  const deps = Array.from({ length: 5000 }, (_, i) => `d${4999 - i}`);
  for (const dep of deps) tasks[dep] = {};
  tasks.top = { deps };
  t.strictSame(names(orderTasks(graphOf(tasks), ["top"])), [...deps, "top"]);
});
