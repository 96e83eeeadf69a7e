import t from "tap";
import { describeDryRun } from "../../lib/cli/dry-run.js";
import { orderTasks } from "../../lib/graph/plan.js";
import { resolveGraph } from "../../lib/graph/resolve.js";
import { createStyle } from "../../lib/util/style.js";

const graph = resolveGraph([
  {
    file: "/p/mityfile.ts",
    namespace: "",
    config: {
      tasks: {
        clean: { run: "rm -rf dist" },
        build: { deps: ["clean"], run: ["tsc -p .", "cp -r assets dist"] },
        lint: { run: async () => {} },
        ci: { deps: ["lint", "build"] },
      },
    },
  },
]);
const plain = createStyle(false);

t.test("lists what would run, in order, with what each runs and what it waits for", async (t) => {
  const text = describeDryRun(orderTasks(graph, ["ci"]), { parallel: false, concurrency: 4, style: plain });
  const lines = text.split("\n");
  t.match(lines[0], /^Dry run: 4 tasks would run \(.+\); nothing is run\.$/);
  t.strictSame(lines.slice(1), [
    "1. lint   (function)",
    "2. clean  $ rm -rf dist",
    "3. build  (2 commands)  after clean",
    "          $ tsc -p .",
    "          $ cp -r assets dist",
    "4. ci     (group: only its deps)  after lint, build",
    "",
  ]);
});

t.test("the heading counts one task in the singular and says how tasks would overlap", async (t) => {
  const one = describeDryRun(orderTasks(graph, ["clean"]), { parallel: false, concurrency: 4, style: plain });
  t.match(one.split("\n")[0], /^Dry run: 1 task would run \(/);
  t.equal(one.split("\n")[1], "1. clean  $ rm -rf dist");
  const parallel = describeDryRun(orderTasks(graph, ["ci"]), { parallel: true, concurrency: 3, style: plain });
  t.match(parallel.split("\n")[0], /at most 3 at once/);
  t.notMatch(describeDryRun(orderTasks(graph, ["ci"]), { parallel: false, concurrency: 3, style: plain }).split("\n")[0], /at most 3/);
});

t.test("numbers are right-aligned past nine tasks", async (t) => {
  const tasks: Record<string, { run: string }> = {};
  for (let i = 1; i <= 10; i++) tasks[`t${i}`] = { run: `echo ${i}` };
  const ten = resolveGraph([{ file: "/p/mityfile.ts", namespace: "", config: { tasks } }]);
  const lines = describeDryRun(orderTasks(ten, Object.keys(tasks)), { parallel: false, concurrency: 1, style: plain }).split("\n");
  t.equal(lines[1], " 1. t1   $ echo 1");
  t.equal(lines[10], "10. t10  $ echo 10");
});

t.test("shows the reason from the state, the params' values and the question asked first", async (t) => {
  const deploy = resolveGraph([
    {
      file: "/p/mityfile.ts",
      namespace: "",
      config: { tasks: { deploy: { run: "terraform apply", confirm: "Apply?", params: { env: { type: "string" }, tag: { type: "string[]" } } } } },
    },
  ]);
  const text = describeDryRun(orderTasks(deploy, ["deploy"]), {
    parallel: false,
    concurrency: 1,
    style: plain,
    predictions: new Map([["deploy", { runs: true, reason: "its command changed", changes: true }]]),
    params: new Map([["deploy", { env: "prod", tag: ["a", "b"] }]]),
  });
  t.strictSame(text.split("\n").slice(1, -1), [
    "1. deploy  $ terraform apply",
    "           runs: its command changed",
    '           params: MITY_PARAM_ENV=prod MITY_PARAM_TAG=["a","b"]',
    '           asks first: "Apply?" (--yes answers yes)',
  ]);
});
