import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { StateStore, type TaskRecord } from "../../lib/state/store.js";
import type { Test } from "../helpers/fixtures.js";

/** An empty project root under the system temp folder, removed after the test. */
function root(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), "mity-store-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const statePath = (dir: string) => join(dir, ".mity", "state.json");

function writeState(dir: string, text: string): void {
  mkdirSync(join(dir, ".mity"), { recursive: true });
  writeFileSync(statePath(dir), text);
}

const readState = (dir: string) => JSON.parse(readFileSync(statePath(dir), "utf8")) as { format: string; version: number; tasks: Record<string, TaskRecord> };

const record = (fingerprint: string): Omit<TaskRecord, "durations"> => ({
  fingerprint,
  definition: { command: "c" },
  deps: {},
  inputs: { "a.txt": { size: 1, mtimeMs: 2, hash: "h" } },
  outputs: {},
});

t.test("a missing state file is no warning and knows no task", async (t) => {
  const store = StateStore.load(root(t));
  t.equal(store.warning, undefined);
  t.equal(store.get("build"), undefined);
  t.equal(store.duration("build"), undefined);
});

t.test("a damaged state file is a warning naming it, and knows no task", async (t) => {
  for (const text of ["{garbage", "", '{"format":"mity-state","version":1,"tasks":{', "null"]) {
    const dir = root(t);
    writeState(dir, text);
    const store = StateStore.load(dir);
    t.equal(store.warning, `${statePath(dir)} is damaged; ignoring it, so every task runs (it is rewritten after this run)`, JSON.stringify(text));
    t.equal(store.get("build"), undefined);
  }
});

t.test("a file that is JSON but not a mity state file is a warning, and knows no task", async (t) => {
  const cases = ["[]", "42", '"text"', '{"tasks":{"build":{"fingerprint":"f"}}}', '{"format":"other","version":1,"tasks":{}}', '{"format":"mity-state","version":1}', '{"format":"mity-state","version":1,"tasks":null}'];
  for (const text of cases) {
    const dir = root(t);
    writeState(dir, text);
    const store = StateStore.load(dir);
    t.equal(store.warning, `${statePath(dir)} is not a mity state file; ignoring it, so every task runs (it is replaced after this run)`, text);
    t.equal(store.get("build"), undefined);
  }
});

t.test("a file of a newer state version is a warning that says so, and knows no task", async (t) => {
  const dir = root(t);
  writeState(dir, JSON.stringify({ format: "mity-state", version: 2, tasks: { build: record("f") } }));
  const store = StateStore.load(dir);
  t.equal(store.warning, `${statePath(dir)} was written by a newer mity (state version 2); ignoring it, so every task runs`);
  t.equal(store.get("build"), undefined);
  const versionless = root(t);
  writeState(versionless, JSON.stringify({ format: "mity-state", tasks: {} }));
  t.match(StateStore.load(versionless).warning, /written by a newer mity \(state version undefined\)/);
});

t.test("a valid file is read without warning; fields it does not know are kept", async (t) => {
  const dir = root(t);
  const build = { ...record("f1"), durations: [5, 7], futureField: true };
  writeState(dir, JSON.stringify({ format: "mity-state", version: 1, tasks: { build }, note: "extra" }));
  const store = StateStore.load(dir);
  t.equal(store.warning, undefined);
  t.strictSame(store.get("build"), build);
});

t.test("save writes .mity/state.json and a .gitignore that ignores the whole folder", async (t) => {
  const dir = root(t);
  const store = StateStore.load(dir);
  store.set("build", record("f1"), 120);
  t.equal(store.save(), undefined);
  t.strictSame(readState(dir), { format: "mity-state", version: 1, tasks: { build: { ...record("f1"), durations: [120] } } });
  t.equal(readFileSync(join(dir, ".mity", ".gitignore"), "utf8"), "*\n");
  t.strictSame(readdirSync(join(dir, ".mity")).sort(), [".gitignore", "state.json"], "no temp file is left behind");
  t.strictSame(StateStore.load(dir).get("build"), { ...record("f1"), durations: [120] }, "a new load reads it back");
});

t.test("save keeps a .gitignore the user wrote", async (t) => {
  const dir = root(t);
  mkdirSync(join(dir, ".mity"));
  writeFileSync(join(dir, ".mity", ".gitignore"), "state.json\n");
  const store = StateStore.load(dir);
  store.set("build", record("f1"), undefined);
  store.save();
  t.equal(readFileSync(join(dir, ".mity", ".gitignore"), "utf8"), "state.json\n");
});

t.test("save with nothing recorded writes nothing", async (t) => {
  const dir = root(t);
  t.equal(StateStore.load(dir).save(), undefined);
  t.notOk(existsSync(join(dir, ".mity")));
});

t.test("save replaces a damaged file with a valid one", async (t) => {
  const dir = root(t);
  writeState(dir, "{garbage");
  const store = StateStore.load(dir);
  store.set("build", record("f1"), undefined);
  t.equal(store.save(), undefined);
  t.strictSame(Object.keys(readState(dir).tasks), ["build"]);
  t.equal(StateStore.load(dir).warning, undefined);
});

t.test("save merges with what another run wrote after this one loaded", async (t) => {
  const dir = root(t);
  const first = StateStore.load(dir);
  first.set("shared", record("old"), undefined);
  first.save();
  const mine = StateStore.load(dir);
  const theirs = StateStore.load(dir);
  theirs.set("lint", record("lint-1"), undefined);
  theirs.set("shared", record("theirs"), undefined);
  t.equal(theirs.save(), undefined);
  mine.set("build", record("build-1"), undefined);
  t.equal(mine.save(), undefined);
  const tasks = readState(dir).tasks;
  t.strictSame(Object.keys(tasks).sort(), ["build", "lint", "shared"]);
  t.equal(tasks.shared!.fingerprint, "theirs", "a task this run did not record keeps the other run's newer record");
  t.equal(tasks.lint!.fingerprint, "lint-1");
  t.equal(tasks.build!.fingerprint, "build-1");
});

t.test("save: for a task both runs recorded, the run that saves last wins", async (t) => {
  const dir = root(t);
  const a = StateStore.load(dir);
  const b = StateStore.load(dir);
  a.set("build", record("from-a"), undefined);
  b.set("build", record("from-b"), undefined);
  a.save();
  b.save();
  t.equal(readState(dir).tasks.build!.fingerprint, "from-b");
});

t.test("save twice writes only what changed since, over what others wrote", async (t) => {
  const dir = root(t);
  const mine = StateStore.load(dir);
  mine.set("build", record("b1"), undefined);
  mine.save();
  const other = StateStore.load(dir);
  other.set("build", record("other"), undefined);
  other.save();
  t.equal(mine.save(), undefined, "nothing new: nothing written");
  t.equal(readState(dir).tasks.build!.fingerprint, "other");
});

t.test(
  "save keeps a record another run renamed into place between this save's read and its rename",
  async (t) => {
    const dir = root(t);
    const mine = StateStore.load(dir);
    const theirs = StateStore.load(dir);
    mine.set("build", record("build-1"), undefined);
    theirs.set("lint", record("lint-1"), undefined);
    // node:fs as a CommonJS object: patching it and syncing reaches the store's named import.
    const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
    const rename = fs.renameSync;
    let interleaved = false;
    let refused: string | undefined;
    fs.renameSync = (from, to) => {
      if (!interleaved) {
        interleaved = true;
        // The other run saves after this one read the file and before it renames its own.
        refused = theirs.save();
      }
      rename(from, to);
    };
    syncBuiltinESMExports();
    t.teardown(() => {
      fs.renameSync = rename;
      syncBuiltinESMExports();
    });
    mine.save();
    t.ok(interleaved, "the other save ran in between");
    // A store that locks may turn the other save away while this one holds the file: it saves after.
    if (refused !== undefined) t.equal(theirs.save(), undefined);
    t.strictSame(Object.keys(readState(dir).tasks).sort(), ["build", "lint"]);
  },
);

t.test("save returns a warning when the state cannot be written", async (t) => {
  const dir = root(t);
  // A file where the folder should be: no permission trick that root could bypass.
  writeFileSync(join(dir, ".mity"), "in the way");
  const store = StateStore.load(dir);
  store.set("build", record("f1"), undefined);
  const warning = store.save();
  t.match(warning, new RegExp(`^cannot save ${statePath(dir).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: .+; the next run will not know what this one did$`));
});

t.test("durations: the last 10 are kept, newest last, across saves and loads", async (t) => {
  const dir = root(t);
  const store = StateStore.load(dir);
  for (let i = 1; i <= 12; i++) store.set("build", record(`f${i}`), i * 10);
  t.strictSame(store.get("build")!.durations, [30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
  t.equal(store.get("build")!.fingerprint, "f12");
  store.save();
  const again = StateStore.load(dir);
  again.set("build", record("f13"), 130);
  t.strictSame(again.get("build")!.durations, [40, 50, 60, 70, 80, 90, 100, 110, 120, 130]);
});

t.test("durations: a success with no duration keeps the earlier ones; none at all leaves the field out", async (t) => {
  const store = StateStore.load(root(t));
  store.set("build", record("f1"), 50);
  store.set("build", record("f2"), undefined);
  t.strictSame(store.get("build")!.durations, [50]);
  store.set("lint", record("l1"), undefined);
  t.notOk("durations" in store.get("lint")!);
  t.equal(store.duration("lint"), undefined);
});

t.test("duration() is the median of the kept durations (the upper middle one for an even count)", async (t) => {
  const store = StateStore.load(root(t));
  store.set("one", record("f"), 42);
  t.equal(store.duration("one"), 42);
  for (const d of [300, 100, 200]) store.set("odd", record("f"), d);
  t.equal(store.duration("odd"), 200);
  for (const d of [40, 10, 30, 20]) store.set("even", record("f"), d);
  t.equal(store.duration("even"), 30);
  // One slow outlier does not move the typical duration.
  for (const d of [100, 100, 100, 100, 9000]) store.set("outlier", record("f"), d);
  t.equal(store.duration("outlier"), 100);
  for (let i = 0; i < 12; i++) store.set("old", record("f"), i < 6 ? 5000 : 10);
  t.equal(store.duration("old"), 10, "only the last 10 count");
  t.strictSame(store.get("odd")!.durations, [300, 100, 200], "the stored order is not disturbed");
  t.equal(store.duration("unknown"), undefined);
});

/** The pid of a process that has just ended: nobody holds a lock under it. */
function deadPid(): number {
  const child = spawnSync("true");
  return child.pid!;
}

t.test("a state lock left by a run that was killed is taken over at once, in either format", async (t) => {
  for (const text of [JSON.stringify({ pid: deadPid(), host: hostname() }), String(deadPid())]) {
    const dir = root(t);
    mkdirSync(join(dir, ".mity"));
    writeFileSync(`${statePath(dir)}.lock`, text);
    const store = StateStore.load(dir);
    store.set("build", record("f1"), undefined);
    t.equal(store.save(), undefined, text);
    t.equal(readState(dir).tasks.build!.fingerprint, "f1");
    t.notOk(existsSync(`${statePath(dir)}.lock`), "the lock is released after");
  }
});

t.test("a state lock of a live pid that was reused by another process is taken over", async (t) => {
  const dir = root(t);
  mkdirSync(join(dir, ".mity"));
  // This process is alive, but started at another time than the holder the file names.
  writeFileSync(`${statePath(dir)}.lock`, JSON.stringify({ pid: process.ppid, started: "1", host: hostname() }));
  const store = StateStore.load(dir);
  store.set("build", record("f1"), undefined);
  t.equal(store.save(), undefined);
});

t.test("a state lock held by a running mity: the save says who holds it, and the journal keeps the results", async (t) => {
  const dir = root(t);
  mkdirSync(join(dir, ".mity"));
  const holder = spawn("sleep", ["30"], { stdio: "ignore" });
  t.teardown(() => holder.kill("SIGKILL"));
  writeFileSync(`${statePath(dir)}.lock`, JSON.stringify({ pid: holder.pid, host: hostname(), task: "x" }));
  const store = StateStore.load(dir);
  store.set("build", record("f1"), undefined);
  const warning = store.save();
  t.match(warning, `is held by mity pid ${holder.pid}`);
  t.match(warning, "this run's results are kept in");
  t.equal(StateStore.load(dir).get("build")?.fingerprint, "f1", "the next run knows the result");
});

t.test("successes reach the journal while the run goes on; a run killed before saving keeps them", async (t) => {
  const dir = root(t);
  const store = StateStore.load(dir);
  store.set("build", record("f1"), 12);
  await new Promise((resolve) => setTimeout(resolve, 200));
  // No save: as if the run were killed here.
  const next = StateStore.load(dir);
  t.strictSame(next.get("build"), { ...record("f1"), durations: [12] });
  t.equal(next.warning, undefined);
  t.equal(next.save(), undefined, "the next save folds the journal even when it records nothing");
  t.strictSame(readdirSync(join(dir, ".mity")).sort(), [".gitignore", "state.json"]);
  t.equal(readState(dir).tasks.build!.fingerprint, "f1");
});

t.test("a journal line cut short by a crash is passed over; the lines before it stand", async (t) => {
  const dir = root(t);
  mkdirSync(join(dir, ".mity"));
  writeFileSync(join(dir, ".mity", "state.journal"), `r1 ${JSON.stringify(["a", record("fa")])}\nr1 ${JSON.stringify(["b", { fingerprint: 3 }])}\nr2 ["c",{"finger`);
  const store = StateStore.load(dir);
  t.equal(store.get("a")?.fingerprint, "fa");
  t.equal(store.get("b"), undefined);
  t.equal(store.get("c"), undefined);
});

t.test("a state file of the wrong shape warns once, naming it, and is replaced at the next save", async (t) => {
  const cases = [
    '{"format":"mity-state","version":1,"tasks":[]}',
    '{"format":"mity-state","version":1,"tasks":{"build":5}}',
    '{"format":"mity-state","version":1,"tasks":{"build":{"fingerprint":"f","inputs":[]}}}',
  ];
  for (const text of cases) {
    const dir = root(t);
    writeState(dir, text);
    const store = StateStore.load(dir);
    t.match(store.warning, statePath(dir), text);
    t.equal(store.get("build"), undefined);
    t.equal(store.save(), undefined, "saved though the run recorded nothing");
    t.equal(StateStore.load(dir).warning, undefined, "no warning the next time");
    store.set("lint", record("l"), undefined);
    store.save();
    t.strictSame(Object.keys(readState(dir).tasks), ["lint"]);
  }
});

t.test("a record of the wrong shape is dropped and named; the good ones are kept", async (t) => {
  const dir = root(t);
  writeState(dir, JSON.stringify({ format: "mity-state", version: 1, tasks: { good: record("g"), bad: { fingerprint: ["x"] } } }));
  const store = StateStore.load(dir);
  t.equal(store.warning, `${statePath(dir)} has records of the wrong shape (tasks "bad"); ignoring them, so those tasks run (they are replaced after this run)`);
  t.equal(store.get("good")?.fingerprint, "g");
  store.save();
  t.strictSame(Object.keys(readState(dir).tasks), ["good"]);
});
