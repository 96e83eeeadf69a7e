import t from "tap";
import { orderTasks } from "../../lib/graph/plan.js";
import { toDot, toJson, toMermaid } from "../../lib/graph/print.js";
import { resolveGraph } from "../../lib/graph/resolve.js";

const graph = resolveGraph([
  { file: "/p/mityfile.ts", namespace: "", config: { tasks: { clean: {}, build: { deps: ["clean"] }, "v1.2": {}, test: { deps: ["build", "fw:lint"] } } } },
  { file: "/p/fw/mityfile.ts", namespace: "fw", config: { tasks: { lint: {} } } },
]);
const tasks = orderTasks(graph, ["test", "v1.2"]);

t.test("the printed tasks are in run order", async (t) => {
  t.strictSame(tasks.map((task) => task.name), ["clean", "build", "fw:lint", "test", "v1.2"]);
});

t.test("dot: every node, then an edge from each task to each dep", async (t) => {
  t.equal(
    toDot(tasks),
    [
      "digraph mity {",
      '  "clean";',
      '  "build";',
      '  "fw:lint";',
      '  "test";',
      '  "v1.2";',
      '  "build" -> "clean";',
      '  "test" -> "build";',
      '  "test" -> "fw:lint";',
      "}",
      "",
    ].join("\n"),
  );
});

t.test("mermaid: generated ids, names as labels", async (t) => {
  t.equal(
    toMermaid(tasks),
    [
      "graph TD",
      '  t0["clean"]',
      '  t1["build"]',
      '  t2["fw:lint"]',
      '  t3["test"]',
      '  t4["v1.2"]',
      "  t1 --> t0",
      "  t3 --> t1",
      "  t3 --> t2",
      "",
    ].join("\n"),
  );
});

t.test("json: nodes and [task, dep] edges on one line", async (t) => {
  t.equal(
    toJson(tasks),
    '{"nodes":["clean","build","fw:lint","test","v1.2"],"edges":[["build","clean"],["test","build"],["test","fw:lint"]]}\n',
  );
});

t.test("an empty graph", async (t) => {
  t.equal(toDot([]), "digraph mity {\n}\n");
  t.equal(toMermaid([]), "graph TD\n");
  t.equal(toJson([]), '{"nodes":[],"edges":[]}\n');
});
