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
