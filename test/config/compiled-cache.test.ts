import t from "tap";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileMityfile } from "../../lib/config/transpile.js";
import { exits } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";

// Two installs of mity: the command line as built (dist/) and this test's own copy (lib/). A
// mityfile importing "mity" from a project without its own copy compiles to another file for each.
const mityfile = (word: string) =>
  `import { defineConfig } from "mity";\nexport default defineConfig({ tasks: { a: { run: (ctx) => ctx.log("${word}") } } });\n`;

const indexes = (cache: string) => readdirSync(cache).filter((name) => /^mityfile\.ts\.[0-9a-f]{16}\.json$/.test(name));

/** Every file of the cache with its modification time: what a rebuild would change. */
const snapshot = (cache: string) => Object.fromEntries(readdirSync(cache).map((name) => [name, statSync(join(cache, name)).mtimeMs]));

t.test("two installs that take turns each keep their own compiled mityfile, rather than rebuilding it at every turn", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile("hello") });
  const cache = join(dir, ".mity", "cache");
  exits(t, await runMity(["a"], { cwd: dir }), 0, "the command line compiles it");
  const ours = await compileMityfile(join(dir, "mityfile.ts"));
  t.equal(indexes(cache).length, 2, "an index for each install");
  const both = snapshot(cache);

  const again = await runMity(["a"], { cwd: dir });
  exits(t, again, 0, "the command line's turn again");
  t.match(again.stdout, /hello/);
  t.same((await compileMityfile(join(dir, "mityfile.ts"))).url, ours.url, "and this install's");
  // The command line saves its script's code cache at exit: only files made by a compile count.
  const compiled = (files: Record<string, number>) => Object.fromEntries(Object.entries(files).filter(([name]) => !/\.bin(\.checks)?$/.test(name)));
  t.same(compiled(snapshot(cache)), compiled(both), "nothing was compiled or written again");
});

t.test("an edit recompiles for the install that runs, and keeps what another install still uses", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile("one") });
  const cache = join(dir, ".mity", "cache");
  const ours = await compileMityfile(join(dir, "mityfile.ts"));
  exits(t, await runMity(["a"], { cwd: dir }), 0);
  writeFileSync(join(dir, "mityfile.ts"), mityfile("two"));
  const edited = await runMity(["a"], { cwd: dir });
  exits(t, edited, 0);
  t.match(edited.stdout, /two/, "the command line runs the edit");
  t.ok(readdirSync(cache).includes(fileURLToPath(ours.url).split("/").pop()!), "the other install's compiled file is still there");
  const ourEdit = await compileMityfile(join(dir, "mityfile.ts"));
  t.not(ourEdit.url, ours.url, "which that install, seeing the edit, compiles again");
  t.match(readFileSync(fileURLToPath(ourEdit.url), "utf8"), /two/);
});

t.test("the index of an install that is gone, the older shared index and their compiled files go at the next compile", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile("hi") });
  const cache = join(dir, ".mity", "cache");
  await compileMityfile(join(dir, "mityfile.ts"));
  const gone = join(cache, "mityfile.ts.0123456789abcdef.json");
  const kept = join(cache, "mityfile.ts.fedcba9876543210.json");
  writeFileSync(gone, JSON.stringify({ self: join(dir, "uninstalled", "dist", "index.js"), output: join(cache, "mityfile.ts.aaaaaaaaaaaaaaaa.mjs") }));
  writeFileSync(join(cache, "mityfile.ts.aaaaaaaaaaaaaaaa.mjs"), "export default {};\n");
  // An install still there: the project's folder stands in for the install's.
  writeFileSync(kept, JSON.stringify({ self: join(dir, "index.js"), output: join(cache, "mityfile.ts.bbbbbbbbbbbbbbbb.mjs") }));
  writeFileSync(join(cache, "mityfile.ts.bbbbbbbbbbbbbbbb.mjs"), "export default {};\n");
  writeFileSync(join(cache, "mityfile.ts.json"), "{}");
  writeFileSync(join(dir, "mityfile.ts"), mityfile("edited"));
  await compileMityfile(join(dir, "mityfile.ts"));
  const names = readdirSync(cache);
  t.notOk(names.includes("mityfile.ts.0123456789abcdef.json"), "the gone install's index");
  t.notOk(names.includes("mityfile.ts.aaaaaaaaaaaaaaaa.mjs"), "its compiled file");
  t.notOk(names.includes("mityfile.ts.json"), "the older shared index");
  t.ok(names.includes("mityfile.ts.fedcba9876543210.json"), "the index of an install still there stays");
  t.ok(names.includes("mityfile.ts.bbbbbbbbbbbbbbbb.mjs"), "and so does its compiled file");
});
