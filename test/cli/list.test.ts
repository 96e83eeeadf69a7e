import t from "tap";
import { listJson, listText } from "../../lib/cli/list.js";
import { resolveGraph } from "../../lib/graph/resolve.js";
import { createStyle } from "../../lib/util/style.js";

const graph = resolveGraph([
  {
    file: "/p/mityfile.ts",
    namespace: "",
    config: {
      default: "build",
      tasks: {
        build: { description: "Compile", deps: ["clean"], run: "tsc" },
        clean: { description: "Remove dist", hidden: true, run: "rm -rf dist" },
        test: { deps: ["build", "fw:plan"], run: "node --test" },
      },
    },
  },
  { file: "/p/infra/fw/mityfile.ts", namespace: "fw", config: { tasks: { plan: { description: "Plan the firewall" }, apply: { description: "Apply it", deps: ["plan"] } } } },
]);
const plain = createStyle(false);

t.test("listText groups tasks by namespace, names the file, marks the default", async (t) => {
  t.equal(
    listText(graph, { all: false, cwd: "/p", style: plain }),
    [
      "Tasks (mityfile.ts)",
      "  build     Compile (default)",
      "  test",
      "",
      "fw: (infra/fw/mityfile.ts)",
      "  fw:plan   Plan the firewall",
      "  fw:apply  Apply it",
      "",
    ].join("\n"),
  );
});

t.test("listText with --all shows hidden tasks, marked", async (t) => {
  t.equal(
    listText(graph, { all: true, cwd: "/p/infra", style: plain }),
    [
      "Tasks (../mityfile.ts)",
      "  build     Compile (default)",
      "  clean     Remove dist (hidden)",
      "  test",
      "",
      "fw: (fw/mityfile.ts)",
      "  fw:plan   Plan the firewall",
      "  fw:apply  Apply it",
      "",
    ].join("\n"),
  );
});

t.test("listText marks a task that is both default and hidden", async (t) => {
  const one = resolveGraph([{ file: "/p/mityfile.ts", namespace: "", config: { default: "x", tasks: { x: { hidden: true, description: "Secret" } } } }]);
  t.equal(listText(one, { all: true, cwd: "/p", style: plain }), "Tasks (mityfile.ts)\n  x  Secret (default, hidden)\n");
});

t.test("listText says when there is nothing to show", async (t) => {
  const empty = resolveGraph([{ file: "/p/mityfile.ts", namespace: "", config: { tasks: {} } }]);
  t.equal(listText(empty, { all: false, cwd: "/p", style: plain }), "No tasks in mityfile.ts.\n");
  const hidden = resolveGraph([{ file: "/p/mityfile.ts", namespace: "", config: { tasks: { x: { hidden: true } } } }]);
  t.equal(listText(hidden, { all: false, cwd: "/p", style: plain }), "No tasks in mityfile.ts (all hidden: use --all).\n");
});

t.test("listText with colour styles headings, names and notes", async (t) => {
  const lines = listText(graph, { all: false, cwd: "/p", style: createStyle(true) }).split("\n");
  t.equal(lines[0], "\u001b[1mTasks\u001b[22m \u001b[2m(mityfile.ts)\u001b[22m");
  t.equal(lines[1], "  \u001b[36mbuild   \u001b[39m  Compile\u001b[2m (default)\u001b[22m");
});

t.test("listJson: name, description, deps and hidden of each task", async (t) => {
  const text = listJson(graph, false);
  t.ok(text.endsWith("\n"));
  const rows = JSON.parse(text) as Record<string, unknown>[];
  t.strictSame(rows, [
    { name: "build", description: "Compile", deps: ["clean"], hidden: false },
    { name: "test", description: null, deps: ["build", "fw:plan"], hidden: false },
    { name: "fw:plan", description: "Plan the firewall", deps: [], hidden: false },
    { name: "fw:apply", description: "Apply it", deps: ["fw:plan"], hidden: false },
  ]);
  t.ok(rows.every((row) => Object.keys(row).join() === "name,description,deps,hidden"), "keys in the documented order");
});

t.test("listJson with --all includes hidden tasks", async (t) => {
  const rows = JSON.parse(listJson(graph, true)) as { name: string; hidden: boolean }[];
  t.strictSame(rows.map((row) => [row.name, row.hidden]), [["build", false], ["clean", true], ["test", false], ["fw:plan", false], ["fw:apply", false]]);
  t.equal(listJson(resolveGraph([{ file: "/p/mityfile.ts", namespace: "", config: { tasks: {} } }]), true), "[]\n");
});
