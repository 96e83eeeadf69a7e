import t from "tap";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileMityfile } from "../../lib/config/transpile.js";
import { MityError } from "../../lib/util/errors.js";
import { tempTree } from "../helpers/mity.js";

// Compiling alone: what esbuild makes of a mityfile. What is kept, and for whom, is compiled-cache.test.ts.

t.test("a mityfile and its local TypeScript modules become one module; packages stay imports", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `import { name } from "./lib/name.ts";\nimport { value } from "pkg";\nconst typed: string = name;\nexport default { tasks: { a: { description: typed + value, run: "true" } } };\n`,
    "lib/name.ts": `export const name: string = "from a module";\n`,
    "node_modules/pkg/package.json": `{ "name": "pkg", "type": "module", "exports": "./index.js" }\n`,
    "node_modules/pkg/index.js": `export const value = "!";\n`,
  });
  const compiled = await compileMityfile(join(dir, "mityfile.ts"), true);
  const code = readFileSync(fileURLToPath(compiled.url), "utf8");
  t.match(code, /from a module/, "the local module is inside");
  t.notMatch(code, /: string/, "the types are gone");
  t.match(code, pathToFileURL(join(dir, "node_modules", "pkg", "index.js")).href, "the package is imported by its absolute URL");
  t.equal(compiled.script, undefined, "a package keeps it to the module form");
  t.equal(compiled.cached, false);
});

t.test("each bundled module keeps its own import.meta.url, dirname and filename", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `import { where } from "./sub/where.ts";\nexport default { tasks: { a: { description: where, run: "true" } } };\n`,
    "sub/where.ts": `export const where = [import.meta.url, import.meta.dirname, import.meta.filename].join(" ");\n`,
  });
  const compiled = await compileMityfile(join(dir, "mityfile.ts"), true);
  const code = readFileSync(fileURLToPath(compiled.url), "utf8");
  const file = join(dir, "sub", "where.ts");
  for (const value of [pathToFileURL(file).href, join(dir, "sub"), file]) t.match(code, JSON.stringify(value));
});

t.test("a syntax error and a task declared twice are the mityfile's errors, with the place", async (t) => {
  const cases = {
    "a syntax error": [`export default { tasks: { a: { run: "true" } }\n`, /mityfile\.ts:2:\d+: /],
    "a task declared twice": [`export default { tasks: {\n  a: { run: "true" },\n  a: { run: "false" },\n} };\n`, /mityfile\.ts:3:3: Duplicate key "a"/],
  } as const;
  for (const [what, [source, message]] of Object.entries(cases)) {
    const dir = tempTree(t, { "mityfile.ts": source });
    const error = await compileMityfile(join(dir, "mityfile.ts")).catch((caught: unknown) => caught);
    t.ok(error instanceof MityError, `${what}: a MityError`);
    t.match((error as Error).message, message, what);
  }
});
