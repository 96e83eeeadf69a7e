import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import t from "tap";
import { run } from "../../lib/api.js";
import type { Graph } from "../../lib/graph/graph.js";
import { orderTasks } from "../../lib/graph/plan.js";
import { resolveGraph } from "../../lib/graph/resolve.js";
import { predict, type Prediction } from "../../lib/state/explain.js";
import { StateStore } from "../../lib/state/store.js";
import type { Test } from "../helpers/fixtures.js";
import { tempTree, writeTreeFile } from "../helpers/mity.js";

const tree = (t: Test, files: Record<string, string>): string => tempTree(t, files);
const write = writeTreeFile;

/**
 * gen (tracked) <- build (tracked) <- pack (tracked); stamp (untracked) <- after (tracked);
 * group "gens" waits for gen, and viaGroup (tracked) depends on the group.
 */
const TASKS = {
  gen: { inputs: ["src/*.txt"], outputs: ["gen.txt"], run: "cat src/*.txt > gen.txt" },
  build: { deps: ["gen"], inputs: ["gen.txt"], outputs: ["out.txt"], run: "cp gen.txt out.txt" },
  pack: { deps: ["build"], inputs: ["out.txt"], outputs: ["pack.txt"], run: "cp out.txt pack.txt" },
  stamp: { run: "date > stamp.txt" },
  after: { deps: ["stamp"], inputs: ["stamp.txt"], outputs: [], run: "true" },
  gens: { deps: ["gen"] },
  viaGroup: { deps: ["gens"], inputs: ["gen.txt"], outputs: ["via.txt"], run: "cp gen.txt via.txt" },
  lonely: { inputs: ["nothing/*.txt"], outputs: ["lonely.txt"], run: "touch lonely.txt" },
};

function project(t: Test): { root: string; graph: Graph } {
  const root = tree(t, { "src/a.txt": "a", "src/b.txt": "b" });
  const graph = resolveGraph([{ file: join(root, "mityfile.ts"), namespace: "", config: { tasks: TASKS } }]);
  return { root, graph };
}

/** Runs tasks for real (through the same scheduler the CLI uses), leaving state in `.mity/`. */
async function runFor(graph: Graph, names: string[]): Promise<void> {
  const result = await run(names, { graph, concurrency: 1, onWarning: (message) => { throw new Error(message); } });
  if (result.state !== "ok") throw new Error(`run of ${names.join(", ")} failed: ${JSON.stringify(result.tasks)}`);
}

async function predictFor(graph: Graph, names: string[], force: ReadonlySet<string> | "all" = new Set(), params = new Map<string, Record<string, unknown>>()): Promise<Record<string, Prediction>> {
  const predictions = await predict(orderTasks(graph, names), StateStore.load(graph.root), { force, params });
  return Object.fromEntries(predictions);
}

const runs = (reason: string): Prediction => ({ runs: true, reason, changes: true });
const upToDate = (reason = "its inputs and outputs are unchanged"): Prediction => ({ runs: false, reason, changes: false });
const group = (changes: boolean): Prediction => ({ runs: true, reason: "it is a group: it only waits for its deps", changes });

t.test("with no state, every tracked task has not run before, in plan order", async (t) => {
  const { graph } = project(t);
  const predictions = await predict(orderTasks(graph, ["pack"]), StateStore.load(graph.root), { force: new Set(), params: new Map() });
  t.strictSame([...predictions.keys()], ["gen", "build", "pack"]);
  t.strictSame(Object.fromEntries(predictions), {
    gen: runs('it has not run successfully before (outputs pattern "gen.txt" matches no file)'),
    build: runs('dep "gen" will run first'),
    pack: runs('dep "build" will run first'),
  });
});

t.test("after a run, the tracked tasks are up to date", async (t) => {
  const { graph } = project(t);
  await runFor(graph, ["pack"]);
  t.strictSame(await predictFor(graph, ["pack"]), { gen: upToDate(), build: upToDate(), pack: upToDate() });
});

t.test("a changed input makes its task run and every tracked task after it too", async (t) => {
  const { root, graph } = project(t);
  await runFor(graph, ["pack"]);
  writeFileSync(join(root, "src/b.txt"), "B!");
  t.strictSame(await predictFor(graph, ["pack"]), {
    gen: runs("input src/b.txt changed"),
    build: runs('dep "gen" will run first'),
    pack: runs('dep "build" will run first'),
  });
});

t.test("a change in the middle leaves what comes before up to date", async (t) => {
  const { root, graph } = project(t);
  await runFor(graph, ["pack"]);
  unlinkSync(join(root, "out.txt"));
  t.strictSame(await predictFor(graph, ["pack"]), {
    gen: upToDate(),
    build: runs('output out.txt is missing (outputs pattern "out.txt" matches no file)'),
    pack: runs('dep "build" will run first'),
  });
});

t.test("a task without inputs or outputs always runs, and so do its tracked dependents", async (t) => {
  const { graph } = project(t);
  await runFor(graph, ["after"]);
  t.strictSame(await predictFor(graph, ["after"]), {
    stamp: runs("it declares no inputs or outputs, so it always runs"),
    after: runs('dep "stamp" will run first'),
  });
});

t.test("forcing some tasks (-B) makes them run; their tracked deps stay up to date", async (t) => {
  const { graph } = project(t);
  await runFor(graph, ["pack"]);
  t.strictSame(await predictFor(graph, ["build"], new Set(["build"])), {
    gen: upToDate(),
    build: runs("it is forced (-B / --force-all)"),
  });
});

t.test("forcing all (--force-all) makes every task run", async (t) => {
  const { graph } = project(t);
  await runFor(graph, ["pack"]);
  t.strictSame(await predictFor(graph, ["pack"], "all"), {
    gen: runs("it is forced (-B / --force-all)"),
    build: runs("it is forced (-B / --force-all)"),
    pack: runs("it is forced (-B / --force-all)"),
  });
});

t.test("a group is said to run, as it only waits for its deps", async (t) => {
  const { graph } = project(t);
  await runFor(graph, ["viaGroup"]);
  t.strictSame((await predictFor(graph, ["viaGroup"])).gens, group(false), "its deps are up to date: it changes nothing");
});

t.test("a tracked task after a group whose dep would run is said to run, naming the group", async (t) => {
  const { graph, root } = project(t);
  await runFor(graph, ["viaGroup"]);
  write(root, "src/a.txt", "a, changed");
  const predictions = await predictFor(graph, ["viaGroup"]);
  t.strictSame(predictions.gens, group(true));
  t.strictSame(predictions.viaGroup, runs('dep "gens" will run first'));
});

t.test(
  "a tracked task after a group of up-to-date tasks is up to date, as the run finds it",
  async (t) => {
    const { graph } = project(t);
    await runFor(graph, ["viaGroup"]);
    const outcome = await run(["viaGroup"], { graph, concurrency: 1 });
    t.equal(outcome.tasks.find((task) => task.name === "viaGroup")?.state, "up-to-date", "the run: up to date");
    t.strictSame((await predictFor(graph, ["viaGroup"])).viaGroup, upToDate(), "the prediction agrees");
  },
);

t.test("changed params are a reason to run", async (t) => {
  const { graph } = project(t);
  await runFor(graph, ["gen"]);
  const predictions = await predictFor(graph, ["gen"], new Set(), new Map([["gen", { mode: "prod" }]]));
  t.strictSame(predictions.gen, runs("its params changed"));
});

t.test("patterns that match no file are named after the reason", async (t) => {
  const { graph } = project(t);
  t.strictSame((await predictFor(graph, ["lonely"])).lonely, runs('it has not run successfully before (inputs pattern "nothing/*.txt", outputs pattern "lonely.txt" match no file)'));
  await runFor(graph, ["lonely"]);
  t.strictSame((await predictFor(graph, ["lonely"])).lonely, upToDate('its inputs and outputs are unchanged (inputs pattern "nothing/*.txt" matches no file)'));
});

t.test("predicting runs nothing and writes no state", async (t) => {
  const { root, graph } = project(t);
  await predictFor(graph, ["pack", "after"]);
  t.notOk(existsSync(join(root, ".mity", "state.json")), "no state file");
  t.notOk(existsSync(join(root, "gen.txt")), "gen did not run");
});
