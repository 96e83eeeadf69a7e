import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "esbuild";
import t from "tap";
import { editorTypes, writeStarter } from "../../lib/cli/init.js";
import { resolveGraph } from "../../lib/graph/resolve.js";
import { MityError } from "../../lib/util/errors.js";
import { runMity } from "../helpers/mity.js";

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "mity-init-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function refusal(dir: string): MityError | undefined {
  try {
    writeStarter(dir);
    return undefined;
  } catch (error) {
    if (error instanceof MityError) return error;
    throw error;
  }
}

t.test("writes a starter mityfile.ts once, then refuses to overwrite it", async (t) => {
  const dir = tempDir(t);
  const path = writeStarter(dir);
  t.equal(path, join(dir, "mityfile.ts"));
  t.strictSame(readdirSync(dir), ["mityfile.ts"]);
  const text = readFileSync(path, "utf8");
  t.match(text, /^\/\/ /, "starts with a comment");
  t.match(text, /import \{ defineConfig \} from "mity";/);
  t.match(text, /export default defineConfig\(\{/);
  t.match(text, /default: "check"/);
  t.match(text, /check: \{[^}]*deps: \["lint", "test"\]/);

  writeFileSync(path, "// mine\n");
  const error = refusal(dir);
  t.equal(error?.message, `${path} already exists; --init never overwrites a mityfile`);
  t.equal(readFileSync(path, "utf8"), "// mine\n", "left untouched");
});

t.test("any mityfile name already there stops it", async (t) => {
  for (const name of ["mityfile.mts", "mityfile.js", "mityfile.mjs"]) {
    const dir = tempDir(t);
    writeFileSync(join(dir, name), "export default { tasks: {} };\n");
    t.equal(refusal(dir)?.message, `${join(dir, name)} already exists; --init never overwrites a mityfile`, name);
    t.strictSame(readdirSync(dir), [name], `${name}: no mityfile.ts written beside it`);
  }
});

t.test("a mityfile in a parent directory does not stop it", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "mityfile.ts"), "// parent\n");
  const sub = join(dir, "sub");
  mkdirSync(sub);
  t.equal(writeStarter(sub), join(sub, "mityfile.ts"));
});

t.test("the starter is a valid mityfile: every field checks out and its names resolve", async (t) => {
  const dir = tempDir(t);
  const text = readFileSync(writeStarter(dir), "utf8");
  // Stand in for the "mity" package, which a bare temp directory cannot import.
  const local = text.replace('import { defineConfig } from "mity";', "const defineConfig = (config) => config;");
  t.not(local, text, "the import was found");
  const { code } = await transform(local, { loader: "ts", format: "esm" });
  const compiled = join(dir, "starter.mjs");
  writeFileSync(compiled, code);
  const config = ((await import(pathToFileURL(compiled).href)) as { default: unknown }).default;
  const graph = resolveGraph([{ file: join(dir, "mityfile.ts"), namespace: "", config }]);
  t.equal(graph.defaultTask, "check");
  t.strictSame([...graph.tasks.keys()].sort(), ["build", "check", "hello", "lint", "test"]);
  t.strictSame(graph.tasks.get("check")!.deps, ["lint", "test"]);
});

const OWN_PACKAGE = join(import.meta.dirname, "..", "..");

t.test("without a mity of the project's own, a tsconfig.json whose paths give tsc the types of this copy", async (t) => {
  const dir = tempDir(t);
  writeStarter(dir);
  t.equal(editorTypes(dir, OWN_PACKAGE), `Wrote tsconfig.json: its "paths" gives your editor the types of "mity" from ${OWN_PACKAGE}.`);
  const config = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")) as { compilerOptions: { paths: unknown } };
  t.strictSame(config.compilerOptions.paths, { mity: [OWN_PACKAGE] });
  // The starter type-checks against mity's published types (dist/), found only through that entry.
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const checked = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  t.equal(checked.stdout + checked.stderr, "");
  t.equal(checked.status, 0);
  writeFileSync(join(dir, "mityfile.ts"), 'import { defineConfig } from "mity";\nexport default defineConfig({ tasks: { a: { dep: [] } } });\n');
  t.match(spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" }).stdout, /'dep' does not exist/, "and a mistake is caught");
});

t.test("an existing tsconfig.json or jsconfig.json is never touched: the message says what to add", async (t) => {
  for (const name of ["tsconfig.json", "jsconfig.json"]) {
    const dir = tempDir(t);
    writeFileSync(join(dir, name), "{}\n");
    t.equal(editorTypes(dir, "/opt/mity"), `For the types of "mity" in your editor, add to "compilerOptions" of ${name}: "paths": { "mity": ["/opt/mity"] } (or install mity as a devDependency).`);
    t.equal(readFileSync(join(dir, name), "utf8"), "{}\n");
    t.strictSame(readdirSync(dir), [name]);
  }
});

t.test("a project with mity in node_modules (here or above) needs nothing", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "node_modules", "mity"), { recursive: true });
  writeFileSync(join(dir, "node_modules", "mity", "package.json"), "{}");
  mkdirSync(join(dir, "app"));
  t.equal(editorTypes(join(dir, "app"), "/opt/mity"), undefined);
  t.strictSame(readdirSync(join(dir, "app")), []);
});

t.test("mity --init, run from the command line, points the new tsconfig.json at its own package", async (t) => {
  const dir = tempDir(t);
  const result = await runMity(["--init"], { cwd: dir });
  t.equal(result.code, 0);
  t.match(result.stdout, /^Wrote mityfile\.ts\. Try "mity --list", then "mity"\.\nWrote tsconfig\.json: its "paths" gives your editor the types of "mity" from /);
  const config = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")) as { compilerOptions: { paths: { mity: string[] } } };
  t.strictSame(config.compilerOptions.paths.mity, [realpathSync(OWN_PACKAGE)]);
});
