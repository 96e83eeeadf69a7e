import t from "tap";
import type { Graph } from "../../lib/graph/graph.js";
import { existingAncestor, isOutput, isRelevant, NEVER_WATCHED, neverWatched, tasksMatching, watchTargets } from "../../lib/watch/targets.js";
import { taskNode } from "../helpers/task-node.js";

const graphOf = (...tasks: ReturnType<typeof taskNode>[]): Graph => ({
  file: "/p/mityfile.ts", root: "/p", tasks: new Map(tasks.map((task) => [task.name, task])), defaultTask: undefined, hooks: {},
});

const build = taskNode("/p", { name: "build", inputs: ["src/**/*.ts", "!src/**/*.test.ts"] });
const docs = taskNode("/p/docs", { name: "docs:site", file: "/p/docs/mityfile.ts", inputs: ["*.md", "../README.md"] });
const group = taskNode("/p", { name: "all", deps: ["build", "docs:site"], run: undefined });

t.test("targets: the selection's input patterns and every loaded mityfile", async (t) => {
  const targets = watchTargets(graphOf(build, docs, group), [build, docs, group]);
  t.same([...targets.inputs.keys()], ["build", "docs:site"], "a task without inputs is not watched");
  t.same([...targets.mityfiles].sort(), ["/p/docs/mityfile.ts", "/p/mityfile.ts"]);
  t.same([...targets.roots].sort(), ["/p/README.md", "/p/docs", "/p/docs/mityfile.ts", "/p/mityfile.ts", "/p/src"]);
});

t.test("the local modules the mityfiles import are watched as the mityfiles are", async (t) => {
  const targets = watchTargets({ ...graphOf(build), files: ["/p/mityfile.ts", "/p/tasks/deploy.ts"] }, [build]);
  t.same([...targets.mityfiles].sort(), ["/p/mityfile.ts", "/p/tasks/deploy.ts"]);
  t.ok(targets.roots.includes("/p/tasks/deploy.ts"));
  t.ok(isRelevant(targets, "/p/tasks/deploy.ts"));
});

t.test("a changed path names the tasks whose inputs match it, as the up-to-date check reads them", async (t) => {
  const targets = watchTargets(graphOf(build, docs), [build, docs]);
  t.same([...tasksMatching(targets, ["/p/src/deep/a.ts"])], ["build"]);
  t.same([...tasksMatching(targets, ["/p/README.md"])], ["docs:site"], "a pattern that climbs matches above the task's folder");
  t.same([...tasksMatching(targets, ["/p/docs/a/b.md", "/p/other.ts"])], [], "one star stays in its folder");
});

t.test("the watcher walks only what a pattern can reach", async (t) => {
  const targets = watchTargets(graphOf(build, docs), [build, docs]);
  t.ok(isRelevant(targets, "/p"), "a folder on the way to a base");
  t.ok(isRelevant(targets, "/p/src/a/b/c"), "anything below a ** base");
  t.ok(isRelevant(targets, "/p/docs/guide.md"));
  t.notOk(isRelevant(targets, "/p/docs/sub", true), "one star reaches no subfolder");
  t.notOk(isRelevant(targets, "/p/lib"), "a folder no pattern names");
  t.ok(isRelevant(targets, "/p/docs/mityfile.ts"));
  t.ok(NEVER_WATCHED.test("/p/node_modules/x") && NEVER_WATCHED.test("/p/.git") && NEVER_WATCHED.test("/p/.mity/state.json"));
  t.notOk(NEVER_WATCHED.test("/p/src/gitignore.ts"));
  t.ok(neverWatched(targets, "/p/node_modules/x"));
  const nested = watchTargets({ ...graphOf(build), root: "/home/node_modules/p" }, [taskNode("/home/node_modules/p", { inputs: ["src/*"] })]);
  t.notOk(neverWatched(nested, "/home/node_modules/p/src/a.ts"), "a project that sits in a node_modules is still watched");
});

t.test("what the selected tasks write is the run's own doing, not a change", async (t) => {
  const bundle = taskNode("/p", { name: "bundle", inputs: ["src/**"], outputs: ["dist/*.js"] });
  const targets = watchTargets(graphOf(bundle), [bundle]);
  t.ok(isOutput(targets, "/p/dist/app.js"));
  t.notOk(isOutput(targets, "/p/src/app.ts"));
});

t.test("a base not there yet is watched from its nearest existing folder", async (t) => {
  const existing = new Set(["/", "/p"]);
  t.equal(existingAncestor("/p/src/gen", (path) => existing.has(path)), "/p");
});
