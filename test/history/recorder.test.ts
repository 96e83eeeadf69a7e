import t from "tap";
import { createRecorder, TAIL_LINES } from "../../lib/history/recorder.js";
import type { StoredRun } from "../../lib/history/run-record.js";
import { taskRecords } from "../../lib/history/task-columns.js";
import type { MityEvent } from "../../lib/run/events.js";

const counts = { ok: 1, failed: 1, cancelled: 0, skipped: 1, "up-to-date": 0 };

/** A kept run as its readers see it, a record per task. */
const rows = (stored: StoredRun | undefined) => stored && { ...stored, tasks: taskRecords(stored.tasks) };

/** A recorder over tasks a, b and the group "all" (no work of its own), with these deps. */
function recorder(deps: Record<string, string[]> = {}) {
  const tasks = new Map(["a", "b", "all"].map((name) => [name, { deps: deps[name] ?? [], run: name === "all" ? undefined : () => {} }]));
  return createRecorder({ id: "run-1", asked: { tasks: ["all"], options: ["-k"] }, version: "1.2.3", tasks, now: () => 1_000_000 });
}

t.test("a run's events become its record: times relative and absolute, deps within the run, exit codes and reasons", async (t) => {
  const { sink, record } = recorder({ b: ["a", "elsewhere"], all: ["a", "b"] });
  const events: MityEvent[] = [
    { event: "start", task: "a", time: 10 },
    { event: "output", task: "a", stream: "stdout", line: "fine", time: 12 },
    { event: "end", task: "a", state: "ok", duration: 90, exitCode: 0, time: 100 },
    { event: "start", task: "b", time: 105 },
    { event: "output", task: "b", stream: "stderr", line: "broke", time: 110 },
    { event: "end", task: "b", state: "failed", duration: 20, exitCode: 3, reason: "exit code 3 from: false", time: 125 },
    { event: "end", task: "all", state: "skipped", duration: 0, reason: 'dep "b" failed', time: 125 },
    { event: "summary", state: "failed", duration: 130, counts },
  ];
  for (const event of events) sink(event);
  const made = rows(record("abc123"))!;
  t.match(made, { format: 2, id: "run-1", startedAt: 1_000_000 - 10, asked: { tasks: ["all"], options: ["-k"] }, state: "failed", duration: 130, revision: "abc123", version: "1.2.3" });
  t.strictSame(made.tasks.map((task) => task.name), ["a", "b", "all"]);
  t.strictSame(made.tasks[0], { name: "a", state: "ok", deps: [], start: 10, duration: 90, end: 100, exitCode: 0 });
  t.match(made.tasks[1], { deps: ["a"], exitCode: 3, reason: "exit code 3 from: false", tail: ["broke"] });
  t.notOk("tail" in made.tasks[0]!, "a task that succeeded keeps no output");
  t.match(made.tasks[2], { state: "skipped", deps: ["a", "b"], reason: 'dep "b" failed' });
  t.notOk("start" in made.tasks[2]!, "a skipped task has no times");
});

t.test("a run that started no task leaves no record", async (t) => {
  const { sink, record } = recorder();
  sink({ event: "end", task: "a", state: "up-to-date", duration: 0, time: 3 });
  sink({ event: "summary", state: "ok", duration: 4, counts });
  t.equal(record(), undefined);
});

t.test("a run that ended without its summary is interrupted; a task started twice counts its attempts", async (t) => {
  const { sink, record } = recorder();
  const placed = { pool: "bastion", worker: "w1" };
  sink({ event: "start", task: "a", time: 0, ...placed } as MityEvent);
  sink({ event: "start", task: "a", time: 50, ...placed } as MityEvent);
  sink({ event: "end", task: "a", state: "cancelled", duration: 5, time: 60, ...placed } as MityEvent);
  t.match(rows(record()), { state: "interrupted", duration: 60, counts: { cancelled: 1 }, tasks: [{ name: "a", attempts: 2, pool: "bastion", worker: "w1", start: 0 }] });
});

t.test("the attempt an end names is the count when more starts were not seen", async (t) => {
  const { sink, record } = recorder();
  sink({ event: "start", task: "a", time: 0, attempt: 1 } as MityEvent);
  sink({ event: "end", task: "a", state: "ok", duration: 5, time: 9, attempt: 3 } as MityEvent);
  t.equal(rows(record())!.tasks[0]!.attempts, 3);
});

t.test("a failed task keeps only its last lines", async (t) => {
  const { sink, record } = recorder();
  sink({ event: "start", task: "a", time: 0 });
  for (let i = 1; i <= 1234; i++) sink({ event: "output", task: "a", stream: "stdout", line: `line ${i}`, time: 1 });
  sink({ event: "end", task: "a", state: "failed", duration: 5, exitCode: 1, time: 5 });
  const tail = rows(record())!.tasks[0]!.tail!;
  t.equal(tail.length, TAIL_LINES);
  t.equal(tail[0], `line ${1234 - TAIL_LINES + 1}`);
  t.equal(tail.at(-1), "line 1234");
});

t.test("a task's start is its end less its duration; a group task, which never starts, has no times", async (t) => {
  const { sink, record } = recorder();
  sink({ event: "start", task: "a", time: 7 });
  sink({ event: "end", task: "a", state: "ok", duration: 30, time: 37 });
  sink({ event: "end", task: "all", state: "ok", duration: 0, time: 38 });
  sink({ event: "summary", state: "ok", duration: 40, counts });
  const [a, all] = rows(record())!.tasks;
  t.match(a, { name: "a", start: 7, end: 37 });
  t.strictSame(all, { name: "all", state: "ok", deps: [], duration: 0 });
});

t.test("a task that ended twice (restarted) is one row, as its last end says: a failure's tail goes with a later success", async (t) => {
  const { sink, record } = recorder();
  sink({ event: "start", task: "a", time: 0 });
  sink({ event: "output", task: "a", stream: "stderr", line: "broke", time: 1 });
  sink({ event: "end", task: "a", state: "failed", duration: 2, exitCode: 1, time: 2 });
  sink({ event: "start", task: "a", time: 5 });
  sink({ event: "end", task: "a", state: "ok", duration: 3, exitCode: 0, time: 8 });
  sink({ event: "summary", state: "ok", duration: 9, counts });
  t.strictSame(rows(record())!.tasks, [{ name: "a", state: "ok", deps: [], duration: 3, start: 5, end: 8, exitCode: 0 }]);
});
