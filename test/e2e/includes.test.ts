import t from "tap";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { endsByTask, exits, jsonMityfile, stackLines } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

/** `rootDeps: false` leaves out the ":build" dep, so the firewall mityfile also stands alone. */
const tree = (rootDeps = true) => ({
  "mityfile.ts": jsonMityfile({
    include: { fw: "./firewall", tools: "./tools/tasks.ts" },
    tasks: {
      build: { run: "echo root build in $(pwd)" },
      lint: { run: "echo root lint" },
    },
  }),
  "firewall/mityfile.ts": jsonMityfile({
    include: { rules: "./rules" },
    tasks: {
      apply: { deps: rootDeps ? [":build", "lint"] : ["lint"], run: "echo apply in $(pwd) root $MITY_ROOT task $MITY_TASK" },
      lint: { run: "echo fw lint" },
      plan: { description: "Plan the firewall", run: "echo plan in $(pwd)" },
    },
  }),
  "firewall/rules/mityfile.ts": jsonMityfile({ tasks: { check: { deps: ["lint"], run: "echo check in $(pwd) as $MITY_TASK" } } }),
  "tools/tasks.ts": jsonMityfile({ tasks: { fmt: { run: "echo fmt in $(pwd)" } } }),
});

const outputs = (stdout: string) => events(stdout).filter((e) => e.event === "output").map((e) => `${String(e.task)}: ${String(e.line)}`);

t.test("fw:apply runs in ./firewall; \":build\" reaches the root, \"lint\" its own namespace first", async (t) => {
  const dir = realpathSync(tempTree(t, tree()));
  const result = await runMity(["--output", "json", "fw:apply"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputs(result.stdout), [
    `build: root build in ${dir}`,
    "fw:lint: fw lint",
    `fw:apply: apply in ${join(dir, "firewall")} root ${dir} task fw:apply`,
  ]);
  t.strictSame([...endsByTask(events(result.stdout)).keys()].sort(), ["build", "fw:apply", "fw:lint"]);
});

t.test("nested includes: fw:rules:check, its dep found in the enclosing namespace", async (t) => {
  const dir = realpathSync(tempTree(t, tree()));
  const result = await runMity(["--output", "json", "fw:rules:check"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputs(result.stdout), ["fw:lint: fw lint", `fw:rules:check: check in ${join(dir, "firewall", "rules")} as fw:rules:check`]);
});

t.test("an include may name a file; its tasks run in that file's directory", async (t) => {
  const dir = realpathSync(tempTree(t, tree()));
  const result = await runMity(["--output", "json", "tools:fmt"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputs(result.stdout), [`tools:fmt: fmt in ${join(dir, "tools")}`]);
});

t.test("from inside ./firewall, its own mityfile is the root", async (t) => {
  const dir = realpathSync(tempTree(t, tree(false)));
  const result = await runMity(["--output", "json", "apply"], { cwd: join(dir, "firewall") });
  exits(t, result, 0);
  const here = join(dir, "firewall");
  t.strictSame(outputs(result.stdout), ["lint: fw lint", `apply: apply in ${here} root ${here} task apply`]);
});

t.test("--list groups included tasks by namespace", async (t) => {
  const dir = tempTree(t, tree());
  const result = await runMity(["--list"], { cwd: dir });
  exits(t, result, 0);
  t.match(result.stdout, /fw:plan\s+Plan the firewall/);
  for (const name of ["build", "lint", "fw:apply", "fw:lint", "fw:rules:check", "tools:fmt"]) t.match(result.stdout, name);
  const json = await runMity(["--list", "--json"], { cwd: dir });
  const names = (JSON.parse(json.stdout) as { name: string; deps: string[] }[]).map((row) => row.name).sort();
  t.strictSame(names, ["build", "fw:apply", "fw:lint", "fw:plan", "fw:rules:check", "lint", "tools:fmt"]);
  t.strictSame((JSON.parse(json.stdout) as { name: string; deps: string[] }[]).find((row) => row.name === "fw:apply")?.deps, ["build", "fw:lint"], "deps as full names");
});

t.test("an unknown task suggests the task of an include with that name", async (t) => {
  const dir = tempTree(t, tree());
  const result = await runMity(["plan"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /Did you mean "fw:plan"\?/);
  t.match(result.stderr, join(dir, "mityfile.ts"));
});

t.test("a missing include: exit 2, naming the file, the field and the path", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ include: { fw: "./nope" }, tasks: { build: { run: "touch ran.txt" } } }) });
  const result = await runMity(["build"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, join(dir, "mityfile.ts"));
  t.match(result.stderr, "include.fw");
  t.match(result.stderr, join(dir, "nope"));
  t.strictSame(stackLines(result.stderr), []);
});

t.test("an include cycle: exit 2 with the chain of files", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": jsonMityfile({ include: { a: "./a" }, tasks: { build: { run: "touch ran.txt" } } }),
    "a/mityfile.ts": jsonMityfile({ include: { b: "../b" }, tasks: { x: { run: "true" } } }),
    "b/mityfile.ts": jsonMityfile({ include: { a: "../a" }, tasks: { y: { run: "true" } } }),
  });
  const result = await runMity(["build"], { cwd: dir });
  exits(t, result, 2);
  const a = join(dir, "a", "mityfile.ts");
  const b = join(dir, "b", "mityfile.ts");
  t.match(result.stderr, /cycle/);
  t.ok(result.stderr.includes(`${a} -> ${b} -> ${a}`), "the chain of files", { stderr: result.stderr });
  t.strictSame(stackLines(result.stderr), []);
});

t.test("a mityfile that includes itself is a cycle", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ include: { me: "." }, tasks: { build: { run: "true" } } }) });
  const result = await runMity(["build"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /cycle/);
});
