import t from "tap";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { exits, stackLines, type Test } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

/** Exit 2, nothing on stdout, a short message on stderr that holds every fragment, and no stack trace. */
async function refused(t: Test, files: Record<string, string>, args: string[], fragments: (string | RegExp)[]) {
  const dir = tempTree(t, files);
  const result = await runMity(args, { cwd: dir });
  exits(t, result, 2);
  t.equal(result.stdout, "", "nothing on stdout");
  const file = join(dir, "mityfile.ts");
  t.ok(result.stderr.includes(file), `the message names ${file}`, { stderr: result.stderr });
  for (const fragment of fragments) t.match(result.stderr, fragment);
  t.strictSame(stackLines(result.stderr), [], "no stack trace");
  const lines = result.stderr.trim().split("\n");
  t.ok(lines.length <= 3, `short: ${lines.length} lines`, { stderr: result.stderr });
  t.notOk(existsSync(join(dir, "ran.txt")), "nothing ran");
  return { dir, result };
}

const RUN = `run: "touch ran.txt"`;

t.test("TypeScript syntax error: file:line:col", async (t) => {
  const line3 = `  tasks: { build: { ${RUN} ) },`;
  const col = line3.indexOf(")") + 1;
  const dir = await refused(t, { "mityfile.ts": `import { defineConfig } from "mity";\nexport default defineConfig({\n${line3}\n});\n` }, ["build"], []);
  t.ok(dir.result.stderr.includes(`${join(dir.dir, "mityfile.ts")}:3:${col}`), `points at line 3, column ${col}`, { stderr: dir.result.stderr });
});

t.test("duplicate task name in one file: file:line:col", async (t) => {
  const mityfile = `export default {\n  tasks: {\n    build: { ${RUN} },\n    build: { run: "echo again" },\n  },\n};\n`;
  const dir = await refused(t, { "mityfile.ts": mityfile }, ["build"], [/[Dd]uplicate/, /"build"/]);
  t.ok(dir.result.stderr.includes(`${join(dir.dir, "mityfile.ts")}:4:5`), "points at the second one");
});

t.test("an import that throws at top level", async (t) => {
  const files = {
    "mityfile.ts": `import { value } from "./setup.ts";\nexport default { tasks: { build: { ${RUN}, description: value } } };\n`,
    "setup.ts": `export const value: string = "x";\nthrow new Error("setup exploded");\n`,
  };
  await refused(t, files, ["build"], [/setup exploded/]);
  const dir = tempTree(t, files);
  const verbose = await runMity(["--verbose", "build"], { cwd: dir });
  exits(t, verbose, 2, "--verbose");
  t.match(verbose.stderr, /setup exploded/);
  t.ok(stackLines(verbose.stderr).length > 0, "--verbose adds the stack trace", { stderr: verbose.stderr });
  t.match(verbose.stderr, /setup\.ts:2:\d+/, "naming the line of the source file, through the compiled file's source map");
});

t.test("wrong field type: deps as a string", async (t) => {
  await refused(t, { "mityfile.ts": `export default { tasks: { build: { ${RUN} }, test: { deps: "build", ${RUN} } } };\n` }, ["test"], [
    /task "test"/, /field "deps"/, /array/,
  ]);
});

t.test("unknown field: depz, with a suggestion", async (t) => {
  await refused(t, { "mityfile.ts": `export default { tasks: { build: { ${RUN} }, test: { depz: ["build"], ${RUN} } } };\n` }, ["build"], [
    /task "test"/, /depz/, /Did you mean "deps"\?/,
  ]);
});

t.test("a dep that does not exist, with a suggestion", async (t) => {
  await refused(t, { "mityfile.ts": `export default { tasks: { build: { ${RUN} }, test: { deps: ["biuld"], ${RUN} } } };\n` }, ["build"], [
    /task "test"/, /field "deps"/, /"biuld"/, /Did you mean "build"\?/,
  ]);
});

t.test("a task of the root named like a task of an include", async (t) => {
  await refused(t, {
    "mityfile.ts": `export default { include: { fw: "./fw" }, tasks: { "fw:apply": { ${RUN} } } };\n`,
    "fw/mityfile.ts": `export default { tasks: { apply: { ${RUN} } } };\n`,
  }, ["fw:apply"], [/"fw:apply"/]);
});

t.test("a dependency cycle prints the whole cycle", async (t) => {
  const mityfile = `export default { tasks: {
  d: { deps: ["a"], ${RUN} },
  a: { deps: ["b"], ${RUN} },
  b: { deps: ["c"], ${RUN} },
  c: { deps: ["a"], ${RUN} },
} };\n`;
  await refused(t, { "mityfile.ts": mityfile }, ["d"], [/cycle/, /\ba -> b -> c -> a\b|\bb -> c -> a -> b\b|\bc -> a -> b -> c\b/]);
});

t.test("a default task that does not exist, with a suggestion", async (t) => {
  await refused(t, { "mityfile.ts": `export default { default: "biuld", tasks: { build: { ${RUN} } } };\n` }, [], [
    /field "default"/, /"biuld"/, /Did you mean "build"\?/,
  ]);
});

t.test("no default export", async (t) => {
  await refused(t, { "mityfile.ts": `export const tasks = { build: { ${RUN} } };\n` }, ["build"], [/default export/]);
});

t.test("a default export that is not a config object", async (t) => {
  await refused(t, { "mityfile.ts": `export default ["build"];\n` }, ["build"], [/tasks/]);
});

t.test("unknown task on the command line: names the mityfile and suggests", async (t) => {
  const mityfile = `export default { tasks: { "test-all": { ${RUN} }, "test-unit": { ${RUN} }, build: { ${RUN} } } };\n`;
  const { result } = await refused(t, { "mityfile.ts": mityfile }, ["build", "test-al"], [/"test-al"/, /Did you mean "test-all"\?/]);
  t.notMatch(result.stderr, /test-unit/, "only the close name is suggested");
});

t.test("a task name that starts with a dash could only be run as :-x: refused, naming the file and task", async (t) => {
  for (const name of ["-x", "--help"]) {
    const { result } = await refused(t, { "mityfile.ts": `export default { tasks: { ${JSON.stringify(name)}: { ${RUN} }, build: { ${RUN} } } };\n` }, ["build"], [
      `task "${name}"`, /must not start with "-"/,
    ]);
    t.notMatch(result.stderr, /use letters/, name);
  }
});

t.test("a task name with a letter outside ASCII says ASCII letters", async (t) => {
  await refused(t, { "mityfile.ts": `export default { tasks: { "déployer": { ${RUN} } } };\n` }, ["build"], [
    'task "déployer"', /ASCII letters/,
  ]);
});

t.test("a default export that is a rejected promise: one message, exit 2", async (t) => {
  const { result } = await refused(t, { "mityfile.ts": `export default Promise.reject(new Error("no config today"));\n` }, ["build"], [/no config today/]);
  t.notMatch(result.stderr, /Unhandled|triggerUncaughtException|node:internal/, "no report of Node's own");
});

t.test("a default export that is a promise of a config is awaited", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default Promise.resolve({ tasks: { build: { ${RUN} } } });\n` });
  exits(t, await runMity(["build"], { cwd: dir }), 0);
  t.ok(existsSync(join(dir, "ran.txt")), "build ran");
});

t.test("a getter that throws: exit 2, naming the task and field", async (t) => {
  const mityfile = `export default { tasks: { build: { ${RUN} }, test: { get deps() { throw new Error("deps are not ready"); }, ${RUN} } } };\n`;
  const { result } = await refused(t, { "mityfile.ts": mityfile }, ["test"], [/task "test"/, /field "deps"/, /deps are not ready/]);
  t.notMatch(result.stderr, /internal error/);
  const top = `export default { get tasks() { throw new Error("no tasks yet"); } };\n`;
  await refused(t, { "mityfile.ts": top }, ["test"], [/field "tasks"/, /no tasks yet/]);
});

t.test("optional params named like Object's own methods are simply not set when not given", async (t) => {
  const mityfile = `export default { tasks: { build: { params: { toString: { type: "string" }, valueOf: { type: "number" }, constructor: { type: "string[]" } },
    run: 'echo "[\${MITY_PARAM_TO_STRING-unset}] [\${MITY_PARAM_VALUE_OF-unset}]" > ran.txt' } } };\n`;
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["build"], { cwd: dir });
  exits(t, result, 0);
  const given = await runMity(["build", "--to-string", "x", "--value-of", "3"], { cwd: dir });
  exits(t, given, 0, "given");
  const other = tempTree(t, { "mityfile.ts": `export default { tasks: { build: { ${RUN} } } };\n` });
  const unknown = await runMity(["build", "--to-string", "x"], { cwd: other });
  exits(t, unknown, 2, "a task without such a param does not take --to-string");
  t.match(unknown.stderr, /has no param --to-string/);
});
