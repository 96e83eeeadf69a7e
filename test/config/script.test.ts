import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import t from "tap";
import { importMityfile, mapStackTraces } from "../../lib/config/load.js";
import { runScript, scriptCacheFile } from "../../lib/config/script.js";
import { compileMityfile } from "../../lib/config/transpile.js";
import * as mity from "../../lib/index.js";
import { CommandError, MityError } from "../../lib/util/errors.js";
import { exits } from "../helpers/fixtures.js";
import { cacheIndexIn, runMity, tempTree } from "../helpers/mity.js";

const TASKS = `tasks: { a: { run: () => "ran" } }`;

/** Loads the mityfile as a module: Node maps stack traces for modules only, so mity loads the module while mapping is on. */
async function asModule<T>(load: () => Promise<T>): Promise<T> {
  mapStackTraces(true);
  try {
    return await load();
  } finally {
    mapStackTraces(false);
  }
}

t.test("a mityfile that imports only Node's modules and mity also gets a script form, which gives what the module gives", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `import { defineConfig, CommandError } from "mity";
import { basename, join } from "node:path";
import * as fs from "fs";
import { greeting } from "./lib/greeting.ts";
export const errorClass = CommandError;
export const exists = typeof fs.existsSync;
export default defineConfig({ tasks: { a: { description: greeting, run: () => join("x", "y") } } });
`,
    "lib/greeting.ts": `export const greeting: string = "hello";\n`,
  });
  const file = join(dir, "mityfile.ts");
  const compiled = await compileMityfile(file);
  t.match(compiled.script, /\.cjs$/, "a script beside the module");
  t.ok(existsSync(compiled.script!));

  const exported = runScript(compiled.script!, file, mity)!;
  t.equal(exported.errorClass, CommandError, "`import ... from \"mity\"` is the running mity itself");
  t.equal(exported.exists, "function", "Node's modules are required");

  for (const [form, load] of [["script", () => importMityfile(file, mity)], ["module", () => asModule(() => importMityfile(file))]] as const) {
    const { config } = await load();
    const task = (config as { tasks: Record<string, { description: string; run: () => string }> }).tasks.a!;
    t.equal(task.description, "hello", `${form}: a local module is compiled in`);
    t.equal(task.run(), join("x", "y"), `${form}: the run function works`);
  }
});

t.test("the script form is served the exports handed down; without them the module form imports mity itself", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `import { defineConfig } from "mity";\nexport default defineConfig({ ${TASKS} });\n` });
  const file = join(dir, "mityfile.ts");
  t.ok((await compileMityfile(file)).script, "it has a script form");
  const marked = { ...mity, defineConfig: (config: object) => ({ ...config, servedBy: "the caller" }) };
  const served = await importMityfile(file, marked);
  t.equal((served.config as { servedBy?: string }).servedBy, "the caller", "the script's `import \"mity\"` is what the caller handed down");
  const own = await importMityfile(file);
  t.equal((own.config as { servedBy?: string }).servedBy, undefined, "the module imports the real mity");
  t.ok((own.config as { tasks?: unknown }).tasks);
});

t.test("`mity/...` is the running mity in the script form too, as in the module form", async (t) => {
  // Through the command line: this test's own loader would let a require of a file URL pass.
  const dir = tempTree(t, { "mityfile.ts": `import { defineConfig } from "mity/any";\nexport default defineConfig({ tasks: { a: { run: (ctx) => ctx.log("ran") } } });\n` });
  const result = await runMity(["a"], { cwd: dir });
  exits(t, result, 0);
  t.match(result.stdout, /ran/);
  t.ok(readdirSync(join(dir, ".mity", "cache")).some((name) => name.endsWith(".cjs")), "it ran as a script");
});

t.test("what keeps a mityfile to the module form alone, and it still loads", async (t) => {
  const cases: Record<string, Record<string, string>> = {
    "a package": {
      "mityfile.ts": `import { name } from "some-package";\nexport default { tasks: { a: { description: name, run: "true" } } };\n`,
      "node_modules/some-package/package.json": `{ "name": "some-package", "type": "module", "exports": "./index.js" }\n`,
      "node_modules/some-package/index.js": `export const name = "pkg";\n`,
    },
    "top-level await": { "mityfile.ts": `const value = await Promise.resolve("later");\nexport default { tasks: { a: { description: value, run: "true" } } };\n` },
    "import()": { "mityfile.ts": `export default { tasks: { a: { run: async () => { await import("node:os"); } } } };\n` },
    "import.meta.resolve": { "mityfile.ts": `export const where = () => import.meta.resolve("./x.js");\nexport default { ${TASKS} };\n` },
    require: { "mityfile.ts": `export default { tasks: { a: { run: () => require("node:os") } } };\n` },
  };
  for (const [what, files] of Object.entries(cases)) {
    const dir = tempTree(t, files);
    const file = join(dir, "mityfile.ts");
    const compiled = await compileMityfile(file);
    t.equal(compiled.script, undefined, `${what}: no script form`);
    const { config } = await importMityfile(file);
    t.ok((config as { tasks?: unknown }).tasks, `${what}: loaded as a module`);
  }
});

t.test("the script is strict, as the module is, and a top-level error reads the same", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `// @ts-nocheck\nfunction sloppy() { undeclared = 1; }\nsloppy();\nexport default { ${TASKS} };\n`,
  });
  const file = join(dir, "mityfile.ts");
  t.ok((await compileMityfile(file)).script, "it has a script form");
  const script = await importMityfile(file, mity).catch((error: unknown) => error);
  const module = await asModule(() => importMityfile(file).catch((error: unknown) => error));
  t.ok(script instanceof MityError && module instanceof MityError);
  t.match((script as Error).message, /loading the mityfile failed: undeclared is not defined/);
  t.equal((script as Error).message, (module as Error).message, "the same message from both forms");
});

t.test("a run keeps the script's code cache beside it, uses it the next time, and an edit takes the old forms away", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `import { defineConfig } from "mity";\nexport default defineConfig({ tasks: { a: { run: (ctx) => ctx.log("first") } } });\n` });
  const cache = join(dir, ".mity", "cache");
  const first = await runMity(["a"], { cwd: dir });
  exits(t, first, 0, "first run");
  t.match(first.stdout, /first/);
  // Read from the cache's index: compiling here, with this test's own mity, would file another build.
  const script = cacheIndexIn(cache).script!;
  const names = readdirSync(cache);
  t.ok(names.some((name) => name.endsWith(".cjs")), `a script: ${names.join(", ")}`);
  t.ok(names.some((name) => /\.cjs\.v\d+.*\.bin$/.test(name)), `its code cache: ${names.join(", ")}`);

  const second = await runMity(["a"], { cwd: dir });
  exits(t, second, 0, "from the cache");
  t.match(second.stdout, /first/);

  writeFileSync(join(dir, "mityfile.ts"), `import { defineConfig } from "mity";\nexport default defineConfig({ tasks: { a: { run: (ctx) => ctx.log("second") } } });\n`);
  const third = await runMity(["a"], { cwd: dir });
  exits(t, third, 0, "after an edit");
  t.match(third.stdout, /second/);
  const after = readdirSync(cache);
  const old = basename(script);
  t.notOk(after.some((name) => name.startsWith(old)), `the old script and its cache are gone: ${after.join(", ")}`);
  t.ok(after.some((name) => name.endsWith(".cjs")), "the new script is there");
});

t.test("a code cache made by another build is refused by V8 and replaced, without a word", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { ${TASKS} };\n` });
  const file = join(dir, "mityfile.ts");
  const compiled = await compileMityfile(file);
  writeFileSync(scriptCacheFile(compiled.script!), "not a code cache");
  const exported = runScript(compiled.script!, file, mity)!;
  t.ok((exported.default as { tasks?: unknown }).tasks, "the script still runs");
});
