import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "esbuild";
import t from "tap";
import { writeStarter } from "../../lib/cli/init.js";
import { resolveGraph } from "../../lib/graph/resolve.js";
import { MityError } from "../../lib/util/errors.js";

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
