import t from "tap";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { endsByTask, exits } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

// Every task would leave a file behind if it ran: looking must leave none.
const mityfile = `export default { tasks: {
  top: { description: "Top of the diamond", deps: ["left", "right"], run: ["touch top.txt", "echo two"] },
  left: { description: "Left side", deps: ["base"], run: "touch left.txt" },
  right: { deps: ["base"], run: async ({ sh }) => { await sh\`touch right.txt\`; } },
  base: { description: "Shared base", hidden: true, run: "touch base.txt" },
  group: { description: "Everything", deps: ["top"] },
  other: { description: "Unrelated", run: "touch other.txt" },
} };
`;

/** Files the tasks would have written. */
const written = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".txt"));

/** Task names in the numbered lines of a dry run, in order. */
const dryRunOrder = (stdout: string) =>
  stdout.split("\n").map((line) => /^\s*\d+\.\s+(\S+)/.exec(line)?.[1]).filter((name): name is string => name !== undefined);

t.test("--dry-run runs nothing and lists the tasks in order", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  for (const args of [["--dry-run", "group"], ["-n", "group", "--parallel"]]) {
    const result = await runMity(args, { cwd: dir });
    exits(t, result, 0, args.join(" "));
    t.strictSame(dryRunOrder(result.stdout), ["base", "left", "right", "top", "group"], args.join(" "));
    t.match(result.stdout, "touch top.txt", "says what would run");
  }
  const two = await runMity(["-n", "other", "left"], { cwd: dir });
  exits(t, two, 0, "two named tasks");
  t.strictSame(dryRunOrder(two.stdout), ["other", "base", "left"], "named tasks in the given order");
  t.strictSame(written(dir), [], "no task ran");
});

t.test("--graph json of the named tasks, and of all tasks", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--graph", "json", "top"], { cwd: dir });
  exits(t, result, 0);
  const graph = JSON.parse(result.stdout) as { nodes: string[]; edges: [string, string][] };
  t.strictSame(Object.keys(graph).sort(), ["edges", "nodes"]);
  t.strictSame([...graph.nodes].sort(), ["base", "left", "right", "top"]);
  t.strictSame(graph.edges.map((e) => e.join(">")).sort(), ["left>base", "right>base", "top>left", "top>right"], "edges go from a task to its dep");
  const all = await runMity(["--graph", "json"], { cwd: dir });
  exits(t, all, 0, "all tasks");
  const whole = JSON.parse(all.stdout) as { nodes: string[]; edges: [string, string][] };
  t.strictSame([...whole.nodes].sort(), ["base", "group", "left", "other", "right", "top"], "hidden ones too");
  t.equal(whole.edges.length, 5);
  t.strictSame(written(dir), [], "no task ran");
});

t.test("--graph dot and mermaid", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  for (const args of [["--graph", "dot", "top"], ["--graph", "top"], ["top", "--graph"]]) {
    const dot = await runMity(args, { cwd: dir });
    exits(t, dot, 0, args.join(" "));
    t.match(dot.stdout, /^digraph\b[^{]*\{/, `${args.join(" ")}: a dot digraph`);
    for (const edge of ['"top" -> "left"', '"top" -> "right"', '"left" -> "base"', '"right" -> "base"']) t.match(dot.stdout, edge);
    t.notMatch(dot.stdout, /other|group/, "only the named task and its deps");
  }
  const mermaid = await runMity(["--graph", "mermaid", "top"], { cwd: dir });
  exits(t, mermaid, 0, "mermaid");
  t.match(mermaid.stdout, /^(graph|flowchart) (TD|TB|LR|BT|RL)\n/);
  const ids = new Map<string, string>();
  for (const [, id, name] of mermaid.stdout.matchAll(/^\s*(\w+)\["?([\w:.-]+)"?\]/gm)) ids.set(id!, name!);
  const edges = [...mermaid.stdout.matchAll(/^\s*(\w+) --> (\w+)/gm)].map(([, from, to]) => `${ids.get(from!)}>${ids.get(to!)}`);
  t.strictSame(edges.sort(), ["left>base", "right>base", "top>left", "top>right"]);
  const bad = await runMity(["--graph", "json", "nope"], { cwd: dir });
  exits(t, bad, 2, "an unknown task");
  t.strictSame(written(dir), [], "no task ran");
});

t.test("--list, --list --all, --list --json", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const list = await runMity(["--list"], { cwd: dir });
  exits(t, list, 0, "--list");
  t.match(list.stdout, /top\s+Top of the diamond/);
  t.match(list.stdout, /left\s+Left side/);
  t.match(list.stdout, /\bright\b/);
  t.notMatch(list.stdout, /\bbase\b|Shared base/, "hidden tasks left out");
  const all = await runMity(["-l", "--all"], { cwd: dir });
  exits(t, all, 0, "--list --all");
  t.match(all.stdout, /base\s+Shared base/);

  const json = await runMity(["--list", "--json"], { cwd: dir });
  exits(t, json, 0, "--list --json");
  const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
  t.ok(Array.isArray(rows));
  for (const row of rows) {
    t.strictSame(Object.keys(row).sort(), ["deps", "description", "hidden", "name"], `${String(row.name)}: exactly the documented fields`);
    t.ok(typeof row.description === "string" || row.description === null, "description is a string (null when there is none)");
  }
  const byName = new Map(rows.map((row) => [row.name, row]));
  t.strictSame([...byName.keys()].sort(), ["group", "left", "other", "right", "top"]);
  t.strictSame(byName.get("top"), { name: "top", description: "Top of the diamond", deps: ["left", "right"], hidden: false });
  t.strictSame(byName.get("other"), { name: "other", description: "Unrelated", deps: [], hidden: false });
  const allJson = await runMity(["--list", "--json", "--all"], { cwd: dir });
  const base = (JSON.parse(allJson.stdout) as Record<string, unknown>[]).find((row) => row.name === "base");
  t.strictSame(base, { name: "base", description: "Shared base", deps: [], hidden: true }, "--all adds hidden ones, marked");
  t.strictSame(written(dir), [], "no task ran");
});

t.test("a bare mity with no default task lists the tasks", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity([], { cwd: dir });
  exits(t, result, 0);
  t.match(result.stdout, /top\s+Top of the diamond/);
  t.match(result.stdout, /other\s+Unrelated/);
  t.strictSame(written(dir), [], "no task ran");
});

t.test("a bare mity runs the default task", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile.replace("tasks: {", 'default: "other", tasks: {') });
  const result = await runMity([], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(written(dir), ["other.txt"]);
});

t.test("--init writes a mityfile that runs, and refuses to overwrite", async (t) => {
  const dir = tempTree(t, { ".keep": "" });
  const init = await runMity(["--init"], { cwd: dir });
  exits(t, init, 0, "--init");
  const path = join(dir, "mityfile.ts");
  t.ok(existsSync(path), "mityfile.ts written");
  const text = readFileSync(path, "utf8");

  const run = await runMity(["--output", "json"], { cwd: dir });
  exits(t, run, 0, "the starter's default task");
  const list = events(run.stdout);
  t.ok(endsByTask(list).size >= 1, "tasks ran");
  t.match(list.at(-1), { event: "summary", state: "ok" });
  const listed = await runMity(["--list"], { cwd: dir });
  exits(t, listed, 0, "--list of the starter");

  const again = await runMity(["--init"], { cwd: dir });
  exits(t, again, 2, "a second --init");
  t.match(again.stderr, path);
  t.equal(readFileSync(path, "utf8"), text, "the mityfile is unchanged");

  const other = tempTree(t, { "mityfile.mjs": "export default { tasks: {} };\n" });
  const beside = await runMity(["--init"], { cwd: other });
  exits(t, beside, 2, "--init beside a mityfile.mjs");
  t.notOk(existsSync(join(other, "mityfile.ts")), "no second mityfile written");
});
