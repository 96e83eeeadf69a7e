import t from "tap";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { codeCacheFiles, privateFolder } from "../../lib/cli/code-cache.js";
import { tempTree } from "../helpers/mity.js";

// The loader as built (npm test builds first): each run is a fresh process, as each start of mity is.
const LOADER = fileURLToPath(new URL("../../dist/cli/code-cache.js", import.meta.url));

/** A bundle's text as scripts/bundle.mjs writes it: one function expression of CommonJS's wrapper parameters. */
const wrapped = (body: string) => `(function (exports, require, module, __filename, __dirname) {${body}})`;

/** A stand-in for mity's bundle: CommonJS that needs require, __dirname and the lent import(). */
const bundleSource = (greeting: string) => wrapped(`
const { join } = require("node:path");
exports.start = async () => {
  const lent = globalThis[Symbol.for("mity.import")];
  const { answer } = await lent(require("node:url").pathToFileURL(join(__dirname, "..", "answer.mjs")).href);
  console.log("${greeting}", answer);
};
`);

/** A bundle with a second path, run only with LONG=1: many functions, and long enough to count. */
const twoPathSource = wrapped(`
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
`);

function start(dir: string, env: Record<string, string> = {}) {
  const script = `import(${JSON.stringify(LOADER)}).then((m) => m.startBundle(${JSON.stringify(join(dir, "bundle", "mity.cjs"))}))`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, TMPDIR: join(dir, "tmp"), ...env } });
}

/** The temp folder's cache folder of this user, as the loader names it under the test's TMPDIR. */
const userTemp = (dir: string) => join(dir, "tmp", `mity-code-cache-${process.getuid!()}`);

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
  t.strictSame(cachesIn(userTemp(dir)), [], "nothing in the temp folder");
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

t.test("a rebuilt bundle never runs with the old cache, even at the same size and time; the old cache is removed", async (t) => {
  const dir = project(t);
  const bundle = join(dir, "bundle", "mity.cjs");
  start(dir);
  const folder = join(dir, "bundle", ".code-cache");
  const old = cachesIn(folder)[0]!;
  const { atime, mtime } = statSync(bundle);
  // The same length as before, and the old times put back: only the inode change time tells them apart.
  writeFileSync(bundle, bundleSource("howdy"));
  utimesSync(bundle, atime, mtime);
  const result = start(dir);
  t.equal(result.stdout, "howdy 42\n", result.stderr);
  t.equal(cachesIn(folder).length, 1);
  t.not(cachesIn(folder)[0], old, "a new cache, the old one gone");
});

t.test("when the bundle's folder cannot hold the cache, it goes to the user's own folder in the temp folder", async (t) => {
  const dir = project(t);
  // A file where the cache folder would be: no mkdir can succeed there, even for root.
  writeFileSync(join(dir, "bundle", ".code-cache"), "");
  t.equal(start(dir).stdout, "hello 42\n");
  const temporary = userTemp(dir);
  t.equal(cachesIn(temporary).length, 1, "cached in TMPDIR");
  t.equal(statSync(temporary).mode & 0o777, 0o700, "a folder only its user can enter");
  const { build: prefix } = codeCacheFiles(join(dir, "bundle", "mity.cjs"), statSync(join(dir, "bundle", "mity.cjs")));
  t.ok(cachesIn(temporary)[0]!.startsWith(prefix), "named for the bundle");
  const written = statSync(join(temporary, cachesIn(temporary)[0]!)).mtimeMs;
  t.equal(start(dir).stdout, "hello 42\n", "and read from there");
  t.equal(statSync(join(temporary, cachesIn(temporary)[0]!)).mtimeMs, written, "without writing it again");
});

t.test("a cache folder in the temp folder that others can write is not used", async (t) => {
  const dir = project(t);
  writeFileSync(join(dir, "bundle", ".code-cache"), "");
  const temporary = userTemp(dir);
  mkdirSync(temporary);
  chmodSync(temporary, 0o777);
  t.equal(start(dir).stdout, "hello 42\n");
  t.strictSame(readdirSync(temporary), [], "nothing written there");
});

t.test("privateFolder: only a real folder of this user that no one else can write", async (t) => {
  const dir = tempTree(t, { "file": "" });
  t.ok(privateFolder(join(dir, "fresh")), "made with mode 700");
  t.equal(statSync(join(dir, "fresh")).mode & 0o777, 0o700);
  mkdirSync(join(dir, "open"));
  chmodSync(join(dir, "open"), 0o777);
  t.notOk(privateFolder(join(dir, "open")), "writable by others");
  mkdirSync(join(dir, "group"));
  chmodSync(join(dir, "group"), 0o770);
  t.notOk(privateFolder(join(dir, "group")), "writable by the group");
  symlinkSync(join(dir, "fresh"), join(dir, "link"));
  t.notOk(privateFolder(join(dir, "link")), "a symbolic link, even to a good folder");
  t.notOk(privateFolder(join(dir, "file")), "a file");
});

t.test("two installs of the same bundle, or one under other Node flags, keep apart", async (t) => {
  const stat = { size: 100, mtimeMs: 5, ctimeMs: 5, ino: 1 };
  const a = codeCacheFiles("/opt/a/dist/bundle/mity.cjs", stat);
  const b = codeCacheFiles("/opt/b/dist/bundle/mity.cjs", stat);
  t.not(basename(a.temporary), basename(b.temporary));
  t.equal(dirname(a.beside), "/opt/a/dist/bundle/.code-cache");
  const rebuilt = codeCacheFiles("/opt/a/dist/bundle/mity.cjs", { ...stat, ctimeMs: 6 });
  t.not(basename(rebuilt.beside), basename(a.beside), "a rebuild at the same size and time");
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = "--max-old-space-size=4096";
  t.teardown(() => (saved === undefined ? delete process.env.NODE_OPTIONS : (process.env.NODE_OPTIONS = saved)));
  t.not(basename(codeCacheFiles("/opt/a/dist/bundle/mity.cjs", stat).beside), basename(a.beside), "other flags");
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
  // Runs that found nothing to add are counted (a "quick" start on a busy machine may count too).
  for (let i = 0; i < 4; i++) start(dir, { LONG: "1" });
  t.equal(readFileSync(`${cache}.checks`, "utf8"), "3", "after three such runs, later ones no longer pay for the comparison");
  t.equal(statSync(cache).mtimeMs, written, "and none of them wrote the cache again");
});

t.test("the built bundle is ASCII: one other character makes every start read it as a two-byte string", async (t) => {
  const bundle = readFileSync(fileURLToPath(new URL("../../dist/bundle/mity.cjs", import.meta.url)), "latin1");
  const first = bundle.search(/[^\x00-\x7f]/);
  t.equal(first, -1, first === -1 ? "ASCII" : `not ASCII at: ${JSON.stringify(bundle.slice(first - 40, first + 10))}`);
});
