import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { RECORD_FORMAT, type RunRecord, type StoredRun } from "../../lib/history/run-record.js";
import { findRun, readRecord, readRecords, saveRecord } from "../../lib/history/store.js";
import { taskColumns } from "../../lib/history/task-columns.js";
import { MityError } from "../../lib/util/errors.js";

const record = (id: string): StoredRun => ({ format: RECORD_FORMAT, id, startedAt: 0, asked: { tasks: [], options: [] }, state: "ok", duration: 1, counts: {}, version: "0", tasks: taskColumns([]) });

t.test("saving keeps the newest records only, in .mity/runs with a .gitignore", async (t) => {
  const root = t.testdir();
  for (const id of ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]) saveRecord(root, record(id), 3);
  t.strictSame(readdirSync(join(root, ".mity", "runs")).sort(), ["2026-01-02.json", "2026-01-03.json", "2026-01-04.json"]);
  t.strictSame(readdirSync(join(root, ".mity")).sort(), [".gitignore", "runs"]);
  t.strictSame(readRecords(join(root, ".mity", "runs")).map((run) => run.id), ["2026-01-04", "2026-01-03", "2026-01-02"], "newest first");
});

t.test("damaged records and those of another format are passed over", async (t) => {
  const dir = join(t.testdir(), "runs");
  mkdirSync(dir);
  writeFileSync(join(dir, "a.json"), "{");
  writeFileSync(join(dir, "b.json"), JSON.stringify({ ...record("b"), format: 99 }));
  writeFileSync(join(dir, "c.json"), JSON.stringify(record("c")));
  t.strictSame(readRecords(dir).map((run) => run.id), ["c"]);
});

t.test("a run is read back as it was kept, and a run kept by the first format (an object per task) is still read", async (t) => {
  const root = t.testdir();
  const tasks: RunRecord["tasks"] = [
    { name: "a", state: "ok", deps: [], duration: 5, start: 0, end: 5, exitCode: 0 },
    { name: "b", state: "failed", deps: ["a"], duration: 2, start: 6, end: 8, exitCode: 1, reason: "exit code 1", attempts: 2, pool: "p", worker: "w", tail: ["broke"] },
  ];
  saveRecord(root, { ...record("new"), tasks: taskColumns(tasks) });
  const dir = join(root, ".mity", "runs");
  t.strictSame(readRecord(dir, "new")?.tasks, tasks);
  writeFileSync(join(dir, "old.json"), JSON.stringify({ ...record("old"), format: 1, tasks }));
  t.strictSame(readRecord(dir, "old"), { ...record("old"), format: RECORD_FORMAT, tasks });
});

t.test("a run is named by its index from the last, or by its id or the id's start", async (t) => {
  const dir = join(t.testdir(), "runs");
  mkdirSync(dir);
  for (const id of ["2026-01-01T10", "2026-01-01T11", "2026-01-02T09"]) writeFileSync(join(dir, `${id}.json`), "{}");
  t.equal(findRun(dir, ""), "2026-01-02T09");
  t.equal(findRun(dir, "-1"), "2026-01-02T09");
  t.equal(findRun(dir, "-3"), "2026-01-01T10");
  t.equal(findRun(dir, "2026-01-02"), "2026-01-02T09");
  t.throws(() => findRun(dir, "-4"), MityError);
  t.throws(() => findRun(dir, "-0"), MityError);
  t.throws(() => findRun(dir, "2026-01-01"), /2 runs start with that/);
  t.throws(() => findRun(join(dir, "none"), ""), /no run is recorded/);
});
