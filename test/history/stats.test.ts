import t from "tap";
import { RECORD_FORMAT, type RunRecord, type TaskRecord } from "../../lib/history/run-record.js";
import { percentile, taskHistory } from "../../lib/history/stats.js";

t.test("percentiles by nearest rank", async (t) => {
  const values = Array.from({ length: 20 }, (_, i) => (20 - i) * 10);
  t.equal(percentile(values, 50), 100);
  t.equal(percentile(values, 95), 190);
  t.equal(percentile(values, 100), 200);
  t.equal(percentile([7], 95), 7);
  t.equal(percentile([], 50), undefined);
});

t.test("a task's history: outcomes in every run that had it, durations of its successes", async (t) => {
  const run = (id: string, task?: Partial<TaskRecord>): RunRecord => ({
    format: RECORD_FORMAT, id, startedAt: 0, asked: { tasks: [], options: [] }, state: "ok", duration: 0, counts: {}, version: "0",
    tasks: task ? [{ name: "build", state: "ok", deps: [], duration: 0, ...task }] : [],
  });
  const history = taskHistory([run("3", { duration: 300 }), run("2"), run("1", { state: "failed", duration: 5, exitCode: 1, reason: "broke" }), run("0", { duration: 100 })], "build");
  t.strictSame(history.outcomes.map((outcome) => outcome.run), ["3", "1", "0"]);
  t.match(history.outcomes[1], { state: "failed", exitCode: 1, reason: "broke" });
  t.match(history, { ok: 2, p50: 100, p95: 300 });
});
