import t from "tap";
import type { Graph, TaskNode } from "../../lib/graph/graph.js";
import { githubWorkflow, type WorkflowSettings } from "../../lib/team/github-actions.js";
import { jobIds } from "../../lib/team/job-ids.js";
import { taskNode } from "../helpers/task-node.js";
import { jobsOf, workflowProblems } from "./workflow-check.js";

const settings: WorkflowSettings = { runsOn: { bastion: ["self-hosted", "bastion"] }, command: "mity --export github-actions", lockFile: true, version: "1.0.0", workingDirectory: undefined, sync: false };

function graphOf(tasks: TaskNode[]): Graph {
  return { file: "/p/mityfile.ts", root: "/p", tasks: new Map(tasks.map((task) => [task.name, task])), defaultTask: undefined, hooks: {} };
}

/** A task that runs in a pool, as the pool field reads once a mityfile can say it. */
const pooled = (name: string, pool: string, fields: Partial<TaskNode> = {}) => ({ ...taskNode("/p", { name, ...fields }), pool }) as TaskNode;

t.test("runs-on: a pool's labels from ci.runsOn, [self-hosted, pool] with a warning when unmapped, ubuntu-latest otherwise", async (t) => {
  const graph = graphOf([pooled("apply", "bastion"), pooled("backup", "nas"), taskNode("/p", { name: "lint" })]);
  const { text, warnings } = githubWorkflow(graph, ["apply", "backup", "lint"], settings);
  t.strictSame(await workflowProblems(text), []);
  t.match(text, /  apply:\n    name: "apply"\n    runs-on:\n      - "self-hosted"\n      - "bastion"\n/);
  t.match(text, /  backup:\n    name: "backup"\n    runs-on:\n      - "self-hosted"\n      - "nas"\n/);
  t.match(text, /  lint:\n    name: "lint"\n    runs-on: "ubuntu-latest"\n/);
  t.strictSame(warnings, ['backup: pool "nas" has no labels in ci.runsOn: runs on [self-hosted, nas]']);
});

t.test("a root mityfile below the repository's top runs there; includes naming repositories are synced first", async (t) => {
  const graph = graphOf([taskNode("/p", { name: "lint" })]);
  const { text } = githubWorkflow(graph, ["lint"], { ...settings, workingDirectory: "infra", sync: true });
  t.strictSame(await workflowProblems(text), []);
  t.match(text, /    defaults:\n      run:\n        working-directory: "infra"\n/);
  t.match(text, /      - run: "npm ci"\n      - run: "npx mity --sync"\n      - name: "lint"\n        run: "npx mity lint --no-deps"\n/);
});

t.test("a job named like a YAML null or boolean keeps its name", async (t) => {
  const { text } = githubWorkflow(graphOf([taskNode("/p", { name: "null" }), taskNode("/p", { name: "yes", deps: ["null"] })]), ["yes"], settings);
  t.strictSame(await workflowProblems(text), []);
  t.strictSame(await jobsOf(text), { null: [], yes: ["null"] });
});

t.test("GitHub takes at most 25 inputs: params past that keep their defaults, said in the workflow", async (t) => {
  const params = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, { type: "string" as const, default: "x" }]));
  const { text, warnings } = githubWorkflow(graphOf([taskNode("/p", { name: "wide", params })]), ["wide"], settings);
  t.strictSame(await workflowProblems(text), []);
  t.equal(text.match(/^ {6}wide-p\d+:$/gm)?.length, 25);
  t.equal(warnings.length, 5);
  t.match(text, /# wide: param --p29 has no input: a workflow takes at most 25\n/);
});

t.test("job ids: `:` becomes `-`, other characters `_`, a leading digit gets `_`, clashes a number", async (t) => {
  t.strictSame([...jobIds(["fw:apply", "fw-apply", "1.x", "a b"]).values()], ["fw-apply", "fw-apply-2", "_1_x", "a_b"]);
});

/** The steps of one job, as `uses`/`name` lines, in order. */
const stepsOf = (text: string, id: string) => {
  const job = new RegExp(`\\n  ${id}:\\n((?: {4}.*\\n|\\n)*)`).exec(text)?.[1] ?? "";
  return [...job.matchAll(/^ {6}- (?:uses|name|run): "(.*)"$/gm)].map((match) => match[1]);
};

t.test("a task's outputs go up after it and come down, in place, before every job that does not rerun it", async (t) => {
  const graph = graphOf([
    taskNode("/p", { name: "gen", outputs: ["src/gen/**"] }),
    taskNode("/p", { name: "build", deps: ["gen"], outputs: ["dist/**", "!dist/**/*.map"] }),
    taskNode("/p", { name: "all", deps: ["build"], run: undefined }),
    taskNode("/p", { name: "test", deps: ["all"] }),
  ]);
  const { text, warnings } = githubWorkflow(graph, ["test"], settings);
  t.strictSame(await workflowProblems(text), []);
  t.strictSame(warnings, []);
  t.match(text, /      - name: "build"\n        run: "npx mity build --no-deps"\n      - name: "upload the outputs of build"\n        uses: "actions\/upload-artifact@v4"\n        with:\n          name: "build"\n          path: \|-\n            dist\/\*\*\n            !dist\/\*\*\/\*\.map\n          if-no-files-found: "error"\n          retention-days: 3\n/);
  t.match(text, /      - name: "download the outputs of gen"\n        uses: "actions\/download-artifact@v4"\n        with:\n          name: "gen"\n          path: "src\/gen"\n/);
  // `test` needs `build` through the group, and `gen`'s files too: it reruns neither.
  t.strictSame(stepsOf(text, "test"), ["actions/checkout@v4", "actions/setup-node@v4", "npm ci", "download the outputs of gen", "download the outputs of build", "test"]);
  t.strictSame(stepsOf(text, "build"), ["actions/checkout@v4", "actions/setup-node@v4", "npm ci", "download the outputs of gen", "build", "upload the outputs of build"]);
  t.strictSame(stepsOf(text, "gen"), ["actions/checkout@v4", "actions/setup-node@v4", "npm ci", "gen", "upload the outputs of gen"]);
});

t.test("paths start at the repository's top: the root mityfile's folder and the task's cwd come first", async (t) => {
  const graph = graphOf([taskNode("/p/web", { name: "build", outputs: ["dist/**"] }), taskNode("/p", { name: "test", deps: ["build"] })]);
  const { text } = githubWorkflow(graph, ["test"], { ...settings, workingDirectory: "infra" });
  t.strictSame(await workflowProblems(text), []);
  t.match(text, /          name: "build"\n          path: "infra\/web\/dist\/\*\*"\n/);
  t.match(text, /          name: "build"\n          path: "infra\/web\/dist"\n/);
});

t.test("a dep with work and no outputs is said to hand nothing on, once, naming the jobs it does not reach", async (t) => {
  const graph = graphOf([
    taskNode("/p", { name: "build" }),
    taskNode("/p", { name: "test", deps: ["build"] }),
    taskNode("/p", { name: "ship", deps: ["test"], outputs: ["../../x/**"] }),
  ]);
  const { text, warnings } = githubWorkflow(graph, ["ship"], settings);
  t.strictSame(await workflowProblems(text), []);
  t.strictSame(warnings, [
    'build: declares no outputs, so the files it writes do not reach the jobs of test, ship (each job starts on a fresh runner): declare them in "outputs" to hand them on',
    'test: declares no outputs, so the files it writes do not reach the job of ship (each job starts on a fresh runner): declare them in "outputs" to hand them on',
    'ship: output "../../x/**" lies outside the repository: no job can hand it on',
  ]);
  t.match(text, /\n  # build: declares no outputs, so the files it writes do not reach the jobs of test, ship \(each job/);
  t.notMatch(text, /upload-artifact|download-artifact/);
});
