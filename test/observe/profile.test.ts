import t from "tap";
import type { MityEvent } from "../../lib/run/events.js";
import { ProfileRecorder, type TraceEvent } from "../../lib/observe/profile.js";

/** Just enough of a graph: each task's deps, lock and interactive flag. */
function graphOf(tasks: Record<string, { deps?: string[]; lock?: string; interactive?: boolean }>) {
  return { tasks: new Map(Object.entries(tasks).map(([name, task]) => [name, { name, deps: task.deps ?? [], lock: task.lock, interactive: task.interactive ?? false }])) } as never;
}

const start = (task: string, time: number, extra = {}) => ({ event: "start", task, time, ...extra }) as MityEvent;
const end = (task: string, time: number, state = "ok", extra = {}) => ({ event: "end", task, state, duration: 0, time, ...extra }) as MityEvent;

function record(recorder: ProfileRecorder, events: MityEvent[]): TraceEvent[] {
  for (const event of events) recorder.sink(event);
  return (JSON.parse(JSON.stringify(recorder)) as { traceEvents: TraceEvent[] }).traceEvents;
}

const complete = (events: TraceEvent[], cat?: string) => events.filter((event) => event.ph === "X" && (cat === undefined || event.cat?.startsWith(cat)));
const names = (events: TraceEvent[]) => events.filter((event) => event.name === "thread_name").map((event) => `${event.pid}/${event.tid} ${String(event.args?.name)}`);

t.test("tasks on the slots they held; a task ready while both were taken waits on a track of its own", async (t) => {
  const recorder = new ProfileRecorder(graphOf({ a: {}, b: {}, c: {}, d: { deps: ["a"] } }), "all", 2);
  const events = record(recorder, [start("a", 0), start("b", 1), end("a", 10), start("c", 10), end("b", 30), start("d", 30), end("c", 40), end("d", 50, "failed", { exitCode: 2 })]);
  const tasks = complete(events, "task");
  t.strictSame(
    tasks.map((event) => [event.name, event.tid, event.ts, event.dur]),
    [["a", 1, 0, 10000], ["b", 2, 1000, 29000], ["c", 1, 10000, 30000], ["d", 2, 30000, 20000]],
    "microseconds, and a freed slot is taken again",
  );
  t.match(tasks.find((event) => event.name === "d")?.args, { state: "failed", exitCode: 2 });
  t.strictSame(
    complete(events, "wait").map((event) => [event.name, event.tid, event.ts, event.dur]),
    [["c waits for a slot", 1, 0, 10000], ["d waits for a slot", 1, 10000, 20000]],
    "c from the start, d from a's end: both slots were busy; the two waits share a track, one after the other",
  );
  t.strictSame(names(events), ["1/1 slot 1", "1/2 slot 2", "3/1 waiting 1"]);
  t.match(events.find((event) => event.name === "process_name" && event.pid === 1)?.args, { name: "mity all" });
});

t.test("a task that found a slot free did not wait for one; a lock or the terminal is named", async (t) => {
  const recorder = new ProfileRecorder(graphOf({ a: {}, b: { deps: ["a"] }, l1: { lock: "tf" }, l2: { lock: "tf" } }), "x", 4);
  const events = record(recorder, [start("a", 0), start("l1", 0), end("a", 5), start("b", 7), end("l1", 20), start("l2", 21), end("b", 30), end("l2", 40)]);
  t.strictSame(complete(events, "wait").map((event) => event.name), ['l2 waits for a slot or lock "tf"']);
});

t.test("pooled tasks sit on their worker's track; a second attempt closes the first", async (t) => {
  const recorder = new ProfileRecorder(graphOf({ apply: {} }), "apply", 2);
  const events = record(recorder, [
    start("apply", 0, { pool: "bastion", worker: "b1", attempt: 1 }),
    start("apply", 50, { pool: "bastion", worker: "b2", attempt: 2 }),
    end("apply", 80, "ok", { pool: "bastion", worker: "b2" }),
  ]);
  t.strictSame(complete(events, "task").map((event) => [event.pid, event.tid, event.ts, event.dur, event.args?.attempt]), [[2, 1, 0, 50000, 1], [2, 2, 50000, 30000, 2]]);
  t.strictSame(names(events), ["2/1 worker b1", "2/2 worker b2"]);
});

t.test("commands are instants on the track of their task", async (t) => {
  const recorder = new ProfileRecorder(graphOf({ a: {} }), "a", 1);
  const events = record(recorder, [start("a", 0), { event: "command", task: "a", command: "make", time: 2 }, end("a", 9)]);
  t.match(events.find((event) => event.ph === "i"), { name: "command", ts: 2000, pid: 1, tid: 1, s: "t", args: { command: "make" } });
});
