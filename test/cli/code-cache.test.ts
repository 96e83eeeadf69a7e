import t from "tap";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { codeCacheFiles } from "../../lib/cli/code-cache.js";
import { tempTree } from "../helpers/mity.js";

// The loader as built (npm test builds first): each run is a fresh process, as each start of mity is.
const LOADER = fileURLToPath(new URL("../../dist/cli/code-cache.js", import.meta.url));

/** A stand-in for mity's bundle: CommonJS that needs require, __dirname and the lent import(). */
const bundleSource = (greeting: string) => `
const { join } = require("node:path");
exports.start = async () => {
  const lent = globalThis[Symbol.for("mity.import")];
  const { answer } = await lent(require("node:url").pathToFileURL(join(__dirname, "..", "answer.mjs")).href);
  console.log("${greeting}", answer);
};
`;

/** A bundle with a second path, run only with LONG=1: many functions, and long enough to count. */
const twoPathSource = `
const parts = {
${Array.from({ length: 400 }, (_, i) => `  part${i}(x) { const y = x * ${i} + ${i % 7}; return y > ${i * 3} ? y - ${i} : y + ${i}; },`).join("\n")}
};
exports.start = async () => {
  if (process.env.LONG) {
    let sum = 0;
    for (const part of Object.values(parts)) sum += part(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    console.log("long", sum);
  } else console.log("short");
};
`;

function start(dir: string, env: Record<string, string> = {}) {
  const script = `import(${JSON.stringify(LOADER)}).then((m) => m.startBundle(${JSON.stringify(join(dir, "bundle", "mity.cjs"))}))`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, TMPDIR: join(dir, "tmp"), ...env } });
}

const cachesIn = (folder: string) => (existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith(".bin")) : []);

function project(t: Parameters<typeof tempTree>[0]) {
  return tempTree(t, { "bundle/mity.cjs": bundleSource("hello"), "answer.mjs": "export const answer = 42;\n", "tmp/.keep": "" });
}

t.test("the first start makes the cache beside the bundle; the next one uses it, import() included", async (t) => {
  const dir = project(t);
  const first = start(dir);
  t.equal(first.stdout, "hello 42\n", first.stderr);
  const caches = cachesIn(join(dir, "bundle", ".code-cache"));
  t.equal(caches.length, 1, "one cache file");
  const cache = join(dir, "bundle", ".code-cache", caches[0]!);
  const written = statSync(cache).mtimeMs;
  t.match(caches[0], new RegExp(`^${process.version}-${process.arch}-`), "named for this Node");

  const second = start(dir);
  t.equal(second.stdout, "hello 42\n", `from the cache: ${second.stderr}`);
  t.equal(statSync(cache).mtimeMs, written, "a good cache is not written again");
  t.strictSame(cachesIn(join(dir, "tmp", "mity-code-cache")), [], "nothing in the temp folder");
});

t.test("a damaged cache is refused by V8, the start goes on, and the cache is made again", async (t) => {
  const dir = project(t);
  start(dir);
  const folder = join(dir, "bundle", ".code-cache");
  const cache = join(folder, cachesIn(folder)[0]!);
  writeFileSync(cache, "not bytecode at all");
  const result = start(dir);
  t.equal(result.stdout, "hello 42\n", result.stderr);
  t.not(readFileSync(cache, "utf8"), "not bytecode at all", "written again");
  t.equal(start(dir).stdout, "hello 42\n", "and used");
});

t.test("a rebuilt bundle never runs with the old cache; the old cache is removed", async (t) => {
  const dir = project(t);
  start(dir);
  const folder = join(dir, "bundle", ".code-cache");
  const old = cachesIn(folder)[0]!;
  // The same length as before, so only the name of the cache tells the two apart.
  writeFileSync(join(dir, "bundle", "mity.cjs"), bundleSource("howdy"));
  utimesSync(join(dir, "bundle", "mity.cjs"), new Date(), new Date(Date.now() + 5000));
  const result = start(dir);
  t.equal(result.stdout, "howdy 42\n", result.stderr);
  t.equal(cachesIn(folder).length, 1);
  t.not(cachesIn(folder)[0], old, "a new cache, the old one gone");
});

t.test("when the bundle's folder cannot hold the cache, it goes to the temp folder", async (t) => {
  const dir = project(t);
  // A file where the cache folder would be: no mkdir can succeed there, even for root.
  writeFileSync(join(dir, "bundle", ".code-cache"), "");
  t.equal(start(dir).stdout, "hello 42\n");
  const temporary = join(dir, "tmp", "mity-code-cache");
  t.equal(cachesIn(temporary).length, 1, "cached in TMPDIR");
  const { size, mtimeMs } = statSync(join(dir, "bundle", "mity.cjs"));
  t.equal(cachesIn(temporary)[0], basename(codeCacheFiles(join(dir, "bundle", "mity.cjs"), size, mtimeMs).temporary), "named for the bundle");
  const written = statSync(join(temporary, cachesIn(temporary)[0]!)).mtimeMs;
  t.equal(start(dir).stdout, "hello 42\n", "and read from there");
  t.equal(statSync(join(temporary, cachesIn(temporary)[0]!)).mtimeMs, written, "without writing it again");
});

t.test("two installs of the same bundle keep apart in the temp folder", async (t) => {
  const a = codeCacheFiles("/opt/a/dist/bundle/mity.cjs", 100, 5);
  const b = codeCacheFiles("/opt/b/dist/bundle/mity.cjs", 100, 5);
  t.not(a.temporary, b.temporary);
  t.equal(a.beside, "/opt/a/dist/bundle/.code-cache/" + a.beside.split("/").at(-1));
});

t.test("a long run that compiled much more than the cache holds adds it; a quick one does not", async (t) => {
  const dir = tempTree(t, { "bundle/mity.cjs": twoPathSource, "tmp/.keep": "" });
  const folder = join(dir, "bundle", ".code-cache");
  t.equal(start(dir).stdout, "short\n");
  const cache = join(folder, cachesIn(folder)[0]!);
  const first = statSync(cache).size;
  t.equal(start(dir).stdout, "short\n");
  t.equal(statSync(cache).size, first, "a quick run leaves the cache as it is");
  t.match(start(dir, { LONG: "1" }).stdout, /^long /);
  const second = statSync(cache).size;
  t.ok(second > first + 16 * 1024, `the long path was added (${first} -> ${second} bytes)`);
  const written = statSync(cache).mtimeMs;
  t.match(start(dir, { LONG: "1" }).stdout, /^long /);
  t.equal(statSync(cache).mtimeMs, written, "and is not written again when it already holds the path");
  t.equal(start(dir).stdout, "short\n", "the short path still runs from the grown cache");
  t.equal(readFileSync(`${cache}.checks`, "utf8"), "2", "two long runs compared");
  start(dir, { LONG: "1" });
  start(dir, { LONG: "1" });
  t.equal(readFileSync(`${cache}.checks`, "utf8"), "3", "and after the third, later runs no longer pay for the comparison");
});
