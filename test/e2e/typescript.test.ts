import t from "tap";
import { cpSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { exits } from "../helpers/fixtures.js";
import { cacheIndexIn, events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

const mityfile = `import { defineConfig, type TaskConfig } from "mity";
import { Color, Greeting } from "./lib/colors.ts";

interface Options { loud: boolean }
const options: Options = { loud: false };
const greet: TaskConfig = { run: \`echo \${Greeting.say(Color.Blue, options.loud)}\` };

export default defineConfig({ default: "greet", tasks: { greet } });
`;

const colors = (word: string) => `import { suffix } from "./suffix.js";

export enum Color { Red = "red", Blue = "blue" }

export namespace Greeting {
  export const word: string = ${JSON.stringify(word)};
  export function say(color: Color, loud: boolean): string {
    const text = \`\${word} \${color}\${suffix}\`;
    return loud ? text.toUpperCase() : text;
  }
}
`;

/**
 * Each compiled file of the cache with its inode and mtime: a rewrite (temp file + rename) changes both.
 * V8's code caches are left out: a run may add to them by design.
 */
function cacheFiles(dir: string): Map<string, string> {
  const cache = join(dir, ".mity", "cache");
  return new Map(readdirSync(cache).filter((name) => !/\.(bin|checks)$/.test(name)).map((name) => {
    const stat = statSync(join(cache, name), { bigint: true });
    return [name, `${stat.ino}:${stat.mtimeNs}`];
  }));
}

const said = (stdout: string) => events(stdout).filter((e) => e.event === "output").map((e) => e.line);

t.test("a TypeScript mityfile importing .ts modules with an enum and a namespace, without node_modules", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, "lib/colors.ts": colors("hi"), "lib/suffix.ts": `export const suffix: string = "!";\n` });
  for (let current = dir; ; current = dirname(current)) {
    t.notOk(existsSync(join(current, "node_modules")), `no node_modules in ${current}`);
    if (dirname(current) === current) break;
  }

  const first = await runMity(["--output", "json"], { cwd: dir });
  exits(t, first, 0, "first run");
  t.strictSame(said(first.stdout), ["hi blue!"]);
  const cached = cacheFiles(dir);
  t.ok([...cached.keys()].some((name) => name.endsWith(".mjs")), `a compiled file in .mity/cache: ${[...cached.keys()].join(", ")}`);

  const second = await runMity(["--output", "json"], { cwd: dir });
  exits(t, second, 0, "second run");
  t.strictSame(said(second.stdout), ["hi blue!"]);
  t.strictSame(cacheFiles(dir), cached, "the cache was reused, not rewritten");

  writeFileSync(join(dir, "lib", "colors.ts"), colors("hello there"));
  const third = await runMity(["--output", "json"], { cwd: dir });
  exits(t, third, 0, "after an edit");
  t.strictSame(said(third.stdout), ["hello there blue!"], "the edit to the imported module was picked up");
  t.notSame(cacheFiles(dir), cached, "the cache was rebuilt");

  writeFileSync(join(dir, "lib", "suffix.ts"), `export const suffix: string = "?";\n`);
  const fourth = await runMity(["--output", "json"], { cwd: dir });
  exits(t, fourth, 0, "after an edit two imports deep, same size");
  t.strictSame(said(fourth.stdout), ["hello there blue?"]);
});

t.test("a run function in TypeScript gets a typed ctx", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `import { defineConfig, type RunContext } from "mity";
const show = (ctx: RunContext): void => ctx.log(\`\${ctx.name} in \${ctx.cwd.length > 0 ? "a dir" : "nowhere"}\`);
export default defineConfig({ tasks: { show: { run: show } } });
`,
  });
  const result = await runMity(["--output", "json", "show"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(said(result.stdout), ["show in a dir"]);
});

t.test("a project folder copied with its .mity/cache runs its own mityfile, not the original's", async (t) => {
  const original = tempTree(t, { "mityfile.ts": mityfile, "lib/colors.ts": colors("hi"), "lib/suffix.ts": `export const suffix: string = "!";\n` });
  exits(t, await runMity(["--output", "json"], { cwd: original }), 0, "the original, compiled and cached");
  const copy = tempTree(t, {});
  cpSync(original, copy, { recursive: true });
  t.ok(readdirSync(join(copy, ".mity", "cache")).some((name) => name.endsWith(".json")), "the copy holds the original's cache index");

  writeFileSync(join(copy, "lib", "colors.ts"), colors("copied"));
  const result = await runMity(["--output", "json"], { cwd: copy });
  exits(t, result, 0);
  t.strictSame(said(result.stdout), ["copied blue!"], "the copy's own modules were compiled");
  const index = cacheIndexIn(join(copy, ".mity", "cache"));
  t.ok(index.output.startsWith(join(copy, ".mity", "cache")), `the copy's index names its own compiled file: ${index.output}`);
});

t.test("a mityfile that is a symlink to a file elsewhere reuses its compiled form", async (t) => {
  const shared = tempTree(t, { "mityfile.ts": mityfile, "lib/colors.ts": colors("shared"), "lib/suffix.ts": `export const suffix: string = "!";\n` });
  const project = tempTree(t, {});
  symlinkSync(join(shared, "mityfile.ts"), join(project, "mityfile.ts"));
  const first = await runMity(["--output", "json"], { cwd: project });
  exits(t, first, 0, "first run");
  t.strictSame(said(first.stdout), ["shared blue!"]);
  const cached = cacheFiles(project);
  const second = await runMity(["--output", "json"], { cwd: project });
  exits(t, second, 0, "second run");
  t.strictSame(cacheFiles(project), cached, "the cache was reused, not rewritten");
});
