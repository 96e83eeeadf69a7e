import t from "tap";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TaskNode } from "../../lib/graph/graph.js";
import { RunMemory } from "../../lib/run/run-memory.js";
import { groupFingerprint } from "../../lib/state/check.js";
import { StateStore } from "../../lib/state/store.js";
import { tempTree } from "../helpers/mity.js";
import { taskNode } from "../helpers/task-node.js";

const task = (cwd: string, fields: Partial<TaskNode>): TaskNode => taskNode(cwd, { name: "t", ...fields });

function memory(root: string, ok: readonly string[], tasks: readonly TaskNode[] = []) {
  const state = StateStore.load(root);
  const lines: string[] = [];
  const runMemory = new RunMemory({ state, params: undefined, emit: (event) => event.event === "output" && lines.push(event.line), now: () => 0, tasks: new Map(tasks.map((task) => [task.name, task])), ranOk: (name) => ok.includes(name) });
  return { state, lines, runMemory };
}

t.test("a task that tracks no files passes on a print of this run; a quick one leaves no record", async (t) => {
  const root = tempTree(t, {});
  const gen = task(root, { name: "gen" });
  const { state, runMemory } = memory(root, ["gen", "quick"], [gen, task(root, { name: "quick" }), task(root, { name: "failed" })]);
  t.equal(runMemory.remember(gen, 25), undefined, "synchronous");
  t.equal(runMemory.remember(task(root, { name: "quick" }), 3), undefined);
  t.match(state.get("gen")?.fingerprint, /^gen@/);
  t.strictSame(state.get("gen")?.durations, [25]);
  t.equal(state.get("quick"), undefined, "durations of quick tasks would only grow the state file");
  const prints = runMemory.printsOf(task(root, { name: "use", deps: ["gen", "quick", "failed"] }));
  t.equal(prints.gen, state.get("gen")!.fingerprint, "the print dependents see is the one recorded");
  t.match(prints.quick, /^quick@/);
  t.equal(prints.failed, "", "a task that did not succeed in this run has no print");
});

t.test("a task run again in the run (restarted) passes on a new print, so its dependents' checks see the change", async (t) => {
  const root = tempTree(t, {});
  const gen = task(root, { name: "gen" });
  const use = task(root, { name: "use", deps: ["gen"] });
  const { runMemory } = memory(root, ["gen"], [gen, use]);
  const first = runMemory.printsOf(use).gen;
  runMemory.forget("gen");
  const second = runMemory.printsOf(use).gen;
  t.match(second, /^gen@/);
  t.not(second, first);
  t.equal(runMemory.printsOf(use).gen, second, "and keeps it until it runs again");
});

t.test("a group's print is made from its deps' prints", async (t) => {
  const root = tempTree(t, {});
  const both = task(root, { name: "both", deps: ["a", "b"], run: undefined });
  const { runMemory } = memory(root, ["a", "b", "both"], [task(root, { name: "a" }), task(root, { name: "b" }), both]);
  const deps = runMemory.printsOf(both);
  t.match(deps, { a: /^a@/, b: /^b@/ });
  t.equal(runMemory.printsOf(task(root, { name: "after", deps: ["both"] })).both, groupFingerprint(deps));
});

t.test("a tracked task's success is what the next check compares with", async (t) => {
  const root = tempTree(t, { "src/a.txt": "a" });
  const { state, runMemory, lines } = memory(root, []);
  const build = task(root, { name: "build", inputs: ["src/*.txt", "none/*.x"], outputs: [] });
  await runMemory.remember(build, 40);
  t.strictSame(lines, ['mity: inputs pattern "none/*.x" matches no file']);
  const record = state.get("build")!;
  t.strictSame(Object.keys(record.inputs ?? {}), ["src/a.txt"]);
  const next = memory(root, []);
  t.match(await next.runMemory.upToDate(build, record), { state: "up-to-date" });
  writeFileSync(join(root, "src/a.txt"), "changed");
  t.equal(await memory(root, []).runMemory.upToDate(build, record), undefined, "a changed input: it must run");
});
