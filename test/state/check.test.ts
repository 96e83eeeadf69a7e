import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import t from "tap";
import type { TaskNode } from "../../lib/graph/graph.js";
import { checkTask, definitionOf, fingerprintOf, isTracked, type Verdict } from "../../lib/state/check.js";
import type { TaskRecord } from "../../lib/state/store.js";
import type { Test } from "../helpers/fixtures.js";
import { tempTree, writeTreeFile } from "../helpers/mity.js";
import { taskNode } from "../helpers/task-node.js";

const tree = (t: Test, files: Record<string, string>): string => tempTree(t, files);
const write = writeTreeFile;

/** The task these tests track: it reads src/*.txt and writes out.txt. */
const task = (cwd: string, fields: Partial<TaskNode> = {}): TaskNode =>
  taskNode(cwd, { run: ["cat src/*.txt > out.txt"], inputs: ["src/*.txt"], outputs: ["out.txt"], ...fields });

/** What the scheduler records after a success: the state as it is once the task has run. */
async function succeed(node: TaskNode, params: Record<string, unknown> = {}, deps: Record<string, string> = {}): Promise<TaskRecord> {
  const after = await checkTask(node, undefined, params, deps);
  return { fingerprint: fingerprintOf(after.definition, deps, after.inputs, after.outputs), definition: after.definition, deps, inputs: after.inputs.files, outputs: after.outputs.files };
}

const FILES = { "src/a.txt": "a", "src/b.txt": "b", "out.txt": "ab", ".env": "A=1" };

t.test("isTracked: a task with inputs or outputs takes part in up-to-date checks", async (t) => {
  t.ok(isTracked(task("/p")));
  t.ok(isTracked(task("/p", { outputs: [] })));
  t.ok(isTracked(task("/p", { inputs: [] })));
  t.notOk(isTracked(task("/p", { inputs: [], outputs: [] })));
});

t.test("definitionOf hashes each part of the definition, in a fixed order", async (t) => {
  const definition = definitionOf(task("/p"), {});
  t.strictSame(Object.keys(definition), ["command", "env", "params", "cwd", "dotenv", "patterns"]);
  for (const hash of Object.values(definition)) t.match(hash, /^[0-9a-f]{64}$/);
});

t.test("definitionOf: what changes which part", async (t) => {
  const root = tree(t, { ".env": "A=1", "other.env": "A=2" });
  const base = definitionOf(task(root, { env: { A: "1", B: "2" }, dotenv: [join(root, ".env")] }), { mode: "dev" });
  const differs = (fields: Partial<TaskNode>, params: Record<string, unknown> = { mode: "dev" }) => {
    const now = definitionOf(task(root, { env: { A: "1", B: "2" }, dotenv: [join(root, ".env")], ...fields }), params);
    return Object.keys(now).filter((part) => now[part] !== base[part]);
  };
  t.strictSame(differs({}), [], "the same definition hashes the same");
  t.strictSame(differs({ env: { B: "2", A: "1" } }), [], "env order does not matter");
  t.strictSame(differs({ run: ["cat src/*.txt >  out.txt"] }), ["command"], "a space in the command");
  t.strictSame(differs({ run: ["cat src/*.txt", "> out.txt"] }), ["command"], "split into two commands");
  t.strictSame(differs({ env: { A: "1", B: "3" } }), ["env"]);
  t.strictSame(differs({}, { mode: "prod" }), ["params"]);
  t.strictSame(differs({ cwd: join(root, "sub") }), ["cwd"]);
  t.strictSame(differs({ dotenv: [join(root, "other.env")] }), ["dotenv"]);
  t.strictSame(differs({ inputs: ["src/**/*.txt"] }), ["patterns"]);
  t.strictSame(differs({ outputs: ["dist/**"] }), ["patterns"]);
  t.strictSame(differs({ inputs: ["src/*.txt", "!src/x.txt"] }), ["patterns"], "an exclusion is part of the patterns");
});

t.test("definitionOf: a function task is known by its source text", async (t) => {
  const one = definitionOf(task("/p", { run: async () => "one" }), {});
  const same = definitionOf(task("/p", { run: async () => "one" }), {});
  const two = definitionOf(task("/p", { run: async () => "two" }), {});
  t.equal(one.command, same.command);
  t.not(one.command, two.command);
});

t.test("definitionOf: dotenv is compared by the files' contents; a missing file differs from any content", async (t) => {
  const root = tree(t, { ".env": "A=1" });
  const node = task(root, { dotenv: [join(root, ".env")] });
  const before = definitionOf(node, {}).dotenv;
  writeFileSync(join(root, ".env"), "A=2");
  const edited = definitionOf(node, {}).dotenv;
  unlinkSync(join(root, ".env"));
  const missing = definitionOf(node, {}).dotenv;
  t.not(edited, before);
  t.not(missing, before);
  t.not(missing, edited);
  writeFileSync(join(root, ".env"), "A=1");
  t.equal(definitionOf(node, {}).dotenv, before, "the same content again is the same hash");
});

t.test("a task with no record has not run successfully before", async (t) => {
  const root = tree(t, FILES);
  const verdict = await checkTask(task(root), undefined, {}, {});
  t.strictSame([verdict.upToDate, verdict.reason], [false, "it has not run successfully before"]);
  const untrackedRecord: TaskRecord = { fingerprint: "build@run1", durations: [20] };
  t.equal((await checkTask(task(root), untrackedRecord, {}, {})).reason, "it has not run successfully before", "a record without a definition");
});

t.test("right after a success the task is up to date", async (t) => {
  const root = tree(t, FILES);
  const node = task(root);
  const verdict = await checkTask(node, await succeed(node), {}, {});
  t.strictSame([verdict.upToDate, verdict.reason], [true, "its inputs and outputs are unchanged"]);
  const outputsOnly = task(root, { inputs: [] });
  t.strictSame((await checkTask(outputsOnly, await succeed(outputsOnly), {}, {})).reason, "its outputs are unchanged");
  const inputsOnly = task(root, { outputs: [] });
  const onlyIn = await checkTask(inputsOnly, await succeed(inputsOnly), {}, {});
  t.strictSame([onlyIn.upToDate, onlyIn.reason], [true, "its inputs and outputs are unchanged"]);
});

t.test("every reason to run, in the order they are checked: each fixed in turn reveals the next", async (t) => {
  const root = tree(t, { ...FILES, "src/gone.txt": "g", "other/x.txt": "x", "other/out.txt": "o" });
  const final = task(root, { env: { A: "1" }, dotenv: [join(root, ".env")] });
  const params = { mode: "dev" };
  const deps = { gen: "gen-fingerprint" };
  const record = await succeed(final, params, deps);
  // Everything wrong at once; the loop below puts things right one by one, the first-checked first.
  writeFileSync(join(root, "out.txt"), "tampered");
  writeFileSync(join(root, "src/a.txt"), "A!");
  unlinkSync(join(root, "src/gone.txt"));
  write(root, "src/new.txt", "new");
  writeFileSync(join(root, ".env"), "A=2");
  let node = task(root, { run: ["something else"], env: { A: "2" }, cwd: join(root, "other"), inputs: ["*.txt"], dotenv: [join(root, ".env")] });
  let currentParams: Record<string, unknown> = { mode: "prod" };
  let currentDeps: Record<string, string> = { gen: "a-new-fingerprint" };
  const fixes: [string, () => void][] = [
    ["its command changed", () => (node = { ...node, run: final.run })],
    ["its env changed", () => (node = { ...node, env: final.env })],
    ["its params changed", () => (currentParams = params)],
    ["its working directory changed", () => (node = { ...node, cwd: final.cwd })],
    ["its dotenv files changed", () => writeFileSync(join(root, ".env"), "A=1")],
    ["its inputs or outputs patterns changed", () => (node = { ...node, inputs: final.inputs })],
    ['dep "gen" ran or changed since its last run', () => (currentDeps = deps)],
    ["input src/a.txt changed", () => writeFileSync(join(root, "src/a.txt"), "a")],
    ["input src/gone.txt was removed", () => write(root, "src/gone.txt", "g")],
    ["input src/new.txt is new", () => unlinkSync(join(root, "src/new.txt"))],
    ["output out.txt changed", () => writeFileSync(join(root, "out.txt"), "ab")],
  ];
  for (const [reason, fix] of fixes) {
    const verdict = await checkTask(node, record, currentParams, currentDeps);
    t.strictSame([verdict.upToDate, verdict.reason], [false, reason]);
    fix();
  }
  const last = await checkTask(node, record, currentParams, currentDeps);
  t.strictSame([last.upToDate, last.reason], [true, "its inputs and outputs are unchanged"]);
});

t.test("a missing output comes after input changes, and says it is missing", async (t) => {
  const root = tree(t, FILES);
  const node = task(root);
  const record = await succeed(node);
  unlinkSync(join(root, "out.txt"));
  t.equal((await checkTask(node, record, {}, {})).reason, "output out.txt is missing");
  writeFileSync(join(root, "src/b.txt"), "B!");
  t.equal((await checkTask(node, record, {}, {})).reason, "input src/b.txt changed");
});

t.test("a dep that is new since the last success is a reason to run; a dropped one is not", async (t) => {
  const root = tree(t, FILES);
  const node = task(root);
  const record = await succeed(node, {}, { gen: "g1" });
  t.equal((await checkTask(node, record, {}, { gen: "g1", lint: "l1" })).reason, 'dep "lint" ran or changed since its last run');
  t.ok((await checkTask(node, record, {}, {})).upToDate);
});

t.test("outputs declared but none recorded or present: none of its outputs exist", async (t) => {
  const root = tree(t, { "src/a.txt": "a" });
  const node = task(root, { outputs: ["dist/*.js"] });
  const record = await succeed(node);
  t.strictSame(record.outputs, {});
  const verdict = await checkTask(node, record, {}, {});
  t.strictSame([verdict.upToDate, verdict.reason], [false, "none of its outputs exist"]);
  t.strictSame(verdict.outputs.empty, ["dist/*.js"]);
});

t.test("a new file matching the outputs patterns is no reason to run; a new input is", async (t) => {
  const root = tree(t, FILES);
  const node = task(root, { outputs: ["out*.txt"] });
  const record = await succeed(node);
  write(root, "out-extra.txt", "x");
  t.ok((await checkTask(node, record, {}, {})).upToDate);
  write(root, "src/c.txt", "c");
  t.equal((await checkTask(node, record, {}, {})).reason, "input src/c.txt is new");
});

t.test("excluded files are not inputs: changing one changes nothing", async (t) => {
  const root = tree(t, { ...FILES, "src/notes.txt": "n" });
  const node = task(root, { inputs: ["src/*.txt", "!src/notes.txt"] });
  const record = await succeed(node);
  t.notOk("src/notes.txt" in record.inputs!);
  writeFileSync(join(root, "src/notes.txt"), "edited notes");
  t.ok((await checkTask(node, record, {}, {})).upToDate);
});

t.test("the verdict carries the definition and both scans, for the record and the fast path", async (t) => {
  const root = tree(t, FILES);
  const node = task(root, { inputs: ["src/*.txt", "missing/*.txt"] });
  const verdict: Verdict = await checkTask(node, undefined, {}, {});
  t.strictSame(verdict.definition, definitionOf(node, {}));
  t.strictSame(Object.keys(verdict.inputs.files).sort(), ["src/a.txt", "src/b.txt"]);
  t.strictSame(verdict.inputs.empty, ["missing/*.txt"]);
  t.strictSame(Object.keys(verdict.outputs.files), ["out.txt"]);
  // A recorded hash that no content has: kept only because size and mtime matched.
  const record = await succeed(node);
  record.inputs!["src/a.txt"] = { ...record.inputs!["src/a.txt"]!, hash: "kept-unread" };
  const again = await checkTask(node, record, {}, {});
  t.equal(again.inputs.files["src/a.txt"]!.hash, "kept-unread");
  t.ok(again.upToDate);
});

t.test("fingerprintOf: the same state gives the same fingerprint, in whatever order it was listed", async (t) => {
  const root = tree(t, FILES);
  const node = task(root);
  const scan = await checkTask(node, undefined, {}, {});
  const reversed = (files: Verdict["inputs"]["files"]) => Object.fromEntries(Object.entries(files).reverse());
  const a = fingerprintOf(scan.definition, { x: "1", y: "2" }, scan.inputs, scan.outputs);
  const b = fingerprintOf(scan.definition, { y: "2", x: "1" }, { ...scan.inputs, files: reversed(scan.inputs.files) }, scan.outputs);
  t.equal(a, b);
  t.match(a, /^[0-9a-f]{64}$/);
});

t.test("fingerprintOf changes with inputs, outputs, deps and definition, not with file times", async (t) => {
  const root = tree(t, FILES);
  const node = task(root);
  const scan = await checkTask(node, undefined, {}, {});
  const base = fingerprintOf(scan.definition, { gen: "g1" }, scan.inputs, scan.outputs);
  const withFile = (files: Verdict["inputs"]["files"], path: string, hash: string) => ({ files: { ...files, [path]: { ...files[path]!, hash } }, empty: [] });
  t.not(fingerprintOf(scan.definition, { gen: "g1" }, withFile(scan.inputs.files, "src/a.txt", "other"), scan.outputs), base, "input content");
  t.not(fingerprintOf(scan.definition, { gen: "g1" }, scan.inputs, withFile(scan.outputs.files, "out.txt", "other")), base, "output content");
  t.not(fingerprintOf(scan.definition, { gen: "g2" }, scan.inputs, scan.outputs), base, "a dep's fingerprint");
  t.not(fingerprintOf({ ...scan.definition, env: "other" }, { gen: "g1" }, scan.inputs, scan.outputs), base, "the definition");
  const touched = { files: { ...scan.inputs.files, "src/a.txt": { ...scan.inputs.files["src/a.txt"]!, mtimeMs: 1, size: 99 } }, empty: [] };
  t.equal(fingerprintOf(scan.definition, { gen: "g1" }, touched, scan.outputs), base, "size and time alone");
});
