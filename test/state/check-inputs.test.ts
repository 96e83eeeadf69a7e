import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import type { TaskNode } from "../../lib/graph/graph.js";
import { checkTask, fingerprintOf } from "../../lib/state/check.js";
import { Listings } from "../../lib/state/listing.js";
import type { TaskRecord } from "../../lib/state/store.js";
import { tempTree } from "../helpers/mity.js";
import { taskNode } from "../helpers/task-node.js";

const task = taskNode;

/** What the scheduler records after a success. */
async function succeed(node: TaskNode): Promise<TaskRecord> {
  const after = await checkTask(node, undefined, {}, {});
  return { fingerprint: fingerprintOf(after.definition, {}, after.inputs, after.outputs), definition: after.definition, deps: {}, inputs: after.inputs.files, outputs: after.outputs.files };
}

const verdictOf = async (node: TaskNode, record: TaskRecord) => {
  const verdict = await checkTask(node, record, {}, {});
  return [verdict.upToDate, verdict.reason];
};

t.test("patterns that climb above the task's folder match what lies there", async (t) => {
  const root = tempTree(t, { "lib/src/index.ts": "export {}", "apps/shared.ts": "s", "apps/web/main.ts": "m", "apps/web/notes.md": "n" });
  const cwd = join(root, "apps/web");
  const node = task(cwd, { inputs: ["../../**/*.ts"] });
  const record = await succeed(node);
  t.strictSame(Object.keys(record.inputs!).sort(), ["../../lib/src/index.ts", "../shared.ts", "main.ts"]);
  t.strictSame(await verdictOf(node, record), [true, "its inputs and outputs are unchanged"]);
  appendFileSync(join(root, "lib/src/index.ts"), "\n// edited");
  t.strictSame(await verdictOf(node, record), [false, "input ../../lib/src/index.ts changed"]);

  const parent = task(cwd, { inputs: ["../**"] });
  t.strictSame(Object.keys((await succeed(parent)).inputs!).sort(), ["../shared.ts", "main.ts", "notes.md"], "../** holds the task's own folder too");
  const sibling = task(cwd, { inputs: ["../shared.ts", "../../lib/*/index.ts", "!../../lib/nothing/**"] });
  t.strictSame(Object.keys((await succeed(sibling)).inputs!).sort(), ["../../lib/src/index.ts", "../shared.ts"]);
});

t.test("an exclusion that climbs above the task's folder excludes there", async (t) => {
  const root = tempTree(t, { "lib/a.ts": "a", "lib/a.test.ts": "t", "web/b.ts": "b" });
  const node = task(join(root, "web"), { inputs: ["../lib/*.ts", "*.ts", "!../lib/*.test.ts"] });
  const record = await succeed(node);
  t.strictSame(Object.keys(record.inputs!).sort(), ["../lib/a.ts", "b.ts"]);
  writeFileSync(join(root, "lib/a.test.ts"), "edited");
  t.strictSame(await verdictOf(node, record), [true, "its inputs and outputs are unchanged"]);
});

t.test("an input over 2 GiB is fingerprinted: appending to it makes the task run", async (t) => {
  const root = tempTree(t, {});
  const big = join(root, "big.bin");
  // Sparse: 2200 MB on paper, almost nothing on disk.
  execFileSync("truncate", ["-s", "2200M", big]);
  const node = task(root, { inputs: ["*.bin"] });
  const record = await succeed(node);
  t.ok(record.inputs!["big.bin"], "recorded");
  t.strictSame(await verdictOf(node, record), [true, "its inputs and outputs are unchanged"]);
  appendFileSync(big, "more");
  t.strictSame(await verdictOf(node, record), [false, "input big.bin changed"]);
});

t.test("a file whose name holds a newline is an input like any other", async (t) => {
  const root = tempTree(t, { "src/plain.txt": "p", "src/two\nlines.txt": "x", "src/dir\nname/deep.txt": "d" });
  const node = task(root, { inputs: ["src/*.txt", "src/**/deep.txt"] });
  const record = await succeed(node);
  t.strictSame(Object.keys(record.inputs!).sort(), ["src/dir\nname/deep.txt", "src/plain.txt", "src/two\nlines.txt"]);
  writeFileSync(join(root, "src/two\nlines.txt"), "edited");
  t.strictSame(await verdictOf(node, record), [false, "input src/two\nlines.txt changed"]);
  const literal = task(root, { inputs: ["src/two\nlines.txt"] });
  t.strictSame(Object.keys((await succeed(literal)).inputs!), ["src/two\nlines.txt"], "named literally");
});

t.test("FIFOs, sockets and devices are never inputs, and are never opened", async (t) => {
  const root = tempTree(t, { "src/a.txt": "a" });
  execFileSync("mkfifo", [join(root, "pipe")]);
  symlinkSync(join(root, "pipe"), join(root, "src/pipe-link"));
  symlinkSync("/dev/zero", join(root, "src/zero"));
  const node = task(root, { inputs: ["src/**", "pipe"] });
  const record = await succeed(node);
  t.strictSame(Object.keys(record.inputs!), ["src/a.txt"]);
  t.strictSame(await verdictOf(node, record), [true, "its inputs and outputs are unchanged"]);
});

t.test("a file larger than one read is hashed whole, as one read of it would be", async (t) => {
  const root = tempTree(t, {});
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  writeFileSync(join(root, "data.bin"), bytes);
  const record = await succeed(task(root, { inputs: ["data.bin"] }));
  t.equal(record.inputs!["data.bin"]!.hash, createHash("sha256").update(bytes).digest("hex"));
});

t.test("a literal path is looked up, not listed; a folder many tasks scan is listed once per run", async (t) => {
  const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`many/f${i}.txt`, `${i}`]));
  const root = tempTree(t, files);
  // Long unchanged, as a checked-out folder is: its listing can be trusted to stay the same.
  utimesSync(join(root, "many"), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const context = { listings: new Listings() };
  for (let i = 0; i < 300; i++) {
    const verdict = await checkTask(task(root, { name: `t${i}`, inputs: [`many/f${i}.txt`] }), undefined, {}, {}, context);
    t.strictSame(Object.keys(verdict.inputs.files), [`many/f${i}.txt`]);
  }
  t.equal(context.listings.reads, 0, "no folder listed for literal paths");
  for (let i = 0; i < 50; i++) await checkTask(task(root, { name: `g${i}`, inputs: ["many/*.txt"] }), undefined, {}, {}, context);
  t.equal(context.listings.reads, 1, "one listing for fifty tasks");
  writeFileSync(join(root, "many/new.txt"), "new");
  const after = await checkTask(task(root, { inputs: ["many/*.txt"] }), undefined, {}, {}, context);
  t.ok(after.inputs.files["many/new.txt"], "a file added since is seen: the folder's time changed");
});
