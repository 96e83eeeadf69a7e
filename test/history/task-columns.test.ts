import t from "tap";
import type { TaskRecord } from "../../lib/history/run-record.js";
import { taskColumns, taskRecords } from "../../lib/history/task-columns.js";

const tasks: TaskRecord[] = [
  { name: "a", state: "ok", deps: [], duration: 5, start: 0, end: 5, exitCode: 0 },
  { name: "b", state: "failed", deps: ["a", "elsewhere"], duration: 2, start: 6, end: 8, reason: "timed out", attempts: 3, pool: "bastion", worker: "w1", tail: ["one", "two"] },
  { name: "all", state: "skipped", deps: ["a", "b"], duration: 0, reason: 'dep "b" failed' },
];

t.test("a row per task, a column per field, null where a task has no value; deps are rows of the run", async (t) => {
  const columns = taskColumns(tasks);
  t.strictSame(columns.name, ["a", "b", "all"]);
  t.strictSame(columns.start, [0, 6, null]);
  t.strictSame(columns.exitCode, [0, null, null]);
  t.strictSame(columns.deps, [[1, 0], [2, 0, 1]], "a dep that was not part of the run is left out");
  t.strictSame(columns.tail, { 1: ["one", "two"] });
});

t.test("columns read back as the records they were made from, through JSON", async (t) => {
  const read = taskRecords(JSON.parse(JSON.stringify(taskColumns(tasks))));
  t.strictSame(read, tasks.map((task) => (task.name === "b" ? { ...task, deps: ["a"] } : task)));
});
