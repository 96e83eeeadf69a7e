import t from "tap";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exits, jsonMityfile, type Test } from "../helpers/fixtures.js";
import { cacheIndexIn, events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

const plain = jsonMityfile({ default: "hello", tasks: { hello: { run: "echo hello" } } });
// Top-level await keeps the module form alone: no script form is cached for it.
const moduleOnly = `await Promise.resolve();\n${plain}`;

const outputLines = (stdout: string) => events(stdout).filter((e) => e.event === "output").map((e) => e.line);

/** Runs the project's default task twice and checks both runs say hello: the first heals the cache, the second uses it. */
async function runsTwice(t: Test, dir: string, what: string): Promise<void> {
  for (const round of ["healing", "healed"]) {
    const result = await runMity(["--output", "json"], { cwd: dir });
    exits(t, result, 0, `${what}, ${round}`);
    t.strictSame(outputLines(result.stdout), ["hello"], `${what}, ${round}: the task ran`);
    t.notMatch(result.stderr, /internal error|default export|Unexpected/, `${what}, ${round}: no complaint`);
  }
}

/** A project whose mityfile has been compiled and cached once; returns its folder and cache index. */
async function compiled(t: Test, mityfile: string) {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  exits(t, await runMity(["--output", "json"], { cwd: dir }), 0, "the first run compiles");
  const cache = join(dir, ".mity", "cache");
  return { dir, cache, index: cacheIndexIn(cache) };
}

t.test("an empty or garbled script form is rebuilt", async (t) => {
  for (const [what, text] of [["empty", ""], ["garbled", "}{ not javascript at all"]] as const) {
    const { dir, index } = await compiled(t, plain);
    t.ok(index.script, "the mityfile has a script form");
    writeFileSync(index.script!, text);
    await runsTwice(t, dir, `${what} .cjs`);
    t.not(readFileSync(cacheIndexIn(join(dir, ".mity", "cache")).script!, "utf8"), text, `${what} .cjs: the cached file was written again`);
  }
});

t.test("an empty or garbled module form is rebuilt", async (t) => {
  for (const [what, text] of [["empty", ""], ["garbled", "export default {{{"]] as const) {
    const { dir, index } = await compiled(t, moduleOnly);
    t.equal(index.script, undefined, "the mityfile has only the module form");
    writeFileSync(index.output, text);
    await runsTwice(t, dir, `${what} .mjs`);
  }
});

t.test("a garbled module form is rebuilt when the module form is loaded on purpose (--verbose)", async (t) => {
  const { dir, index } = await compiled(t, plain);
  writeFileSync(index.output, "export default {{{");
  const result = await runMity(["--output", "json", "--verbose"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputLines(result.stdout), ["hello"]);
});

t.test("garbled or emptied V8 code caches of the compiled mityfile are set aside by V8 and written again", async (t) => {
  for (const [what, bytes] of [["garbled", Buffer.from("not a code cache, not at all".repeat(8))], ["empty", Buffer.alloc(0)]] as const) {
    const { dir, cache } = await compiled(t, plain);
    // A second run adds the code cache the first one could not (it compiled the mityfile).
    exits(t, await runMity(["--output", "json"], { cwd: dir }), 0);
    const caches = readdirSync(cache).filter((name) => name.endsWith(".bin"));
    t.ok(caches.length > 0, `${what}: a code cache was written`);
    for (const name of caches) writeFileSync(join(cache, name), bytes);
    await runsTwice(t, dir, `${what} .bin`);
  }
});

t.test("a cache index that is not what mity wrote is rebuilt, not an internal error", async (t) => {
  const damage: [string, (index: Record<string, unknown>) => unknown][] = [
    ['"inputs": null', (index) => ({ ...index, inputs: null })],
    ["an input that is null", (index) => ({ ...index, inputs: [null] })],
    ['"output": 42', (index) => ({ ...index, output: 42 })],
    ["an array", () => []],
    ["null", () => null],
  ];
  for (const [what, change] of damage) {
    const { dir, cache } = await compiled(t, plain);
    const name = readdirSync(cache).find((file) => /^mityfile\.ts\.[0-9a-f]{16}\.json$/.test(file))!;
    const path = join(cache, name);
    writeFileSync(path, JSON.stringify(change(JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>)));
    await runsTwice(t, dir, what);
  }
});

t.test("a mityfile that itself fails to load is reported as before, after one fresh build", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `throw new Error("no config today");\n${plain}` });
  for (const round of ["compiled now", "from the cache"]) {
    const result = await runMity(["--output", "json"], { cwd: dir });
    exits(t, result, 2, round);
    t.match(result.stderr, /mityfile\.ts: loading the mityfile failed: no config today/, round);
    t.notMatch(result.stderr, /internal error/, round);
  }
  const empty = tempTree(t, { "mityfile.ts": "export const tasks = {};\n" });
  for (const round of ["compiled now", "from the cache"]) {
    const result = await runMity(["--output", "json"], { cwd: empty });
    exits(t, result, 2, `no default export, ${round}`);
    t.match(result.stderr, /has no default export/, round);
  }
});
