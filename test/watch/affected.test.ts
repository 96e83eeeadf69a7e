import t from "tap";
import { withDependents } from "../../lib/watch/affected.js";
import { taskNode } from "../helpers/task-node.js";

t.test("a change reruns the changed tasks and what depends on them, at any distance, and nothing else", async (t) => {
  const selection = [
    taskNode("/p", { name: "gen" }),
    taskNode("/p", { name: "build", deps: ["gen"] }),
    taskNode("/p", { name: "test", deps: ["build"] }),
    taskNode("/p", { name: "lint" }),
    taskNode("/p", { name: "all", deps: ["test", "lint"] }),
  ];
  t.same([...withDependents(selection, new Set(["build"]))].sort(), ["all", "build", "test"]);
  t.same([...withDependents(selection, new Set(["lint"]))].sort(), ["all", "lint"]);
  t.same([...withDependents(selection, new Set())], []);
});
