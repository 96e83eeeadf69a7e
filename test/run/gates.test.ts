import t from "tap";
import { Gates } from "../../lib/run/gates.js";

type Release = () => void;
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Enters a gate and records when it is let in. */
function entry(gates: Gates, task: { lock?: string; interactive?: boolean }) {
  const state: { release: Release | undefined } = { release: undefined };
  void gates.enter({ lock: task.lock, interactive: task.interactive ?? false }).then((release) => (state.release = release));
  return {
    get inside() {
      return state.release !== undefined;
    },
    leave() {
      if (!state.release) throw new Error("left before it was let in");
      state.release();
    },
  };
}

const inside = (...entries: { inside: boolean }[]) => entries.map((e) => e.inside);

t.test("tasks with the same lock never overlap, and go in the order they came", async (t) => {
  const gates = new Gates();
  const a = entry(gates, { lock: "tf-state" });
  const b = entry(gates, { lock: "tf-state" });
  const c = entry(gates, { lock: "tf-state" });
  await flush();
  t.strictSame(inside(a, b, c), [true, false, false]);
  a.leave();
  await flush();
  t.strictSame(inside(b, c), [true, false]);
  b.leave();
  await flush();
  t.equal(c.inside, true);
});

t.test("tasks with different locks, or none, overlap", async (t) => {
  const gates = new Gates();
  const all = [entry(gates, { lock: "x" }), entry(gates, { lock: "y" }), entry(gates, {}), entry(gates, {}), entry(gates, { lock: "z" })];
  await flush();
  t.strictSame(inside(...all), [true, true, true, true, true]);
});

t.test("leaving twice lets in only one more", async (t) => {
  const gates = new Gates();
  const a = entry(gates, { lock: "x" });
  const b = entry(gates, { lock: "x" });
  const c = entry(gates, { lock: "x" });
  await flush();
  a.leave();
  a.leave();
  await flush();
  t.strictSame(inside(b, c), [true, false]);

  const n1 = entry(gates, {});
  const n2 = entry(gates, {});
  await flush();
  const i = entry(gates, { interactive: true });
  n1.leave();
  n1.leave();
  await flush();
  t.equal(i.inside, false, "the interactive one still waits for the other running task");
});

t.test("an interactive task waits for running ones, then runs alone", async (t) => {
  const gates = new Gates();
  const n1 = entry(gates, {});
  const locked = entry(gates, { lock: "x" });
  await flush();
  const i = entry(gates, { interactive: true });
  await flush();
  t.strictSame(inside(n1, locked, i), [true, true, false]);
  n1.leave();
  await flush();
  t.equal(i.inside, false, "one task still runs");
  locked.leave();
  await flush();
  t.equal(i.inside, true);
  const later = [entry(gates, {}), entry(gates, { lock: "y" })];
  await flush();
  later.push(entry(gates, { interactive: true }));
  await flush();
  t.strictSame(inside(...later), [false, false, false], "nothing else runs beside it");
  i.leave();
  await flush();
  t.strictSame(inside(...later), [true, true, false], "then the others, up to the next interactive one");
  later[0]!.leave();
  later[1]!.leave();
  await flush();
  t.equal(later[2]!.inside, true);
});

t.test("an interactive waiter is not starved by tasks that come after it", async (t) => {
  const gates = new Gates();
  const first = entry(gates, {});
  await flush();
  const i = entry(gates, { interactive: true });
  const after = [entry(gates, {}), entry(gates, {}), entry(gates, { lock: "q" })];
  await flush();
  t.strictSame(inside(first, i, ...after), [true, false, false, false, false]);
  first.leave();
  await flush();
  t.strictSame(inside(i, ...after), [true, false, false, false]);
  i.leave();
  await flush();
  t.strictSame(inside(...after), [true, true, true]);
});

t.test("a locked interactive task waits for its lock and for the terminal", async (t) => {
  const gates = new Gates();
  const holder = entry(gates, { lock: "x" });
  const other = entry(gates, {});
  await flush();
  const i = entry(gates, { lock: "x", interactive: true });
  await flush();
  t.equal(i.inside, false);
  holder.leave();
  await flush();
  t.equal(i.inside, false, "has the lock, still waits for the running task");
  other.leave();
  await flush();
  t.equal(i.inside, true);
  const sameLock = entry(gates, { lock: "x" });
  i.leave();
  await flush();
  t.equal(sameLock.inside, true, "both the lock and the terminal were given back");
});

t.test("a lock is taken between processes only after this run's own turn, and given back before it", async (t) => {
  const calls: string[] = [];
  const shared = {
    take: async (lock: string, task: string) => {
      calls.push(`take ${lock} ${task}`);
      return () => calls.push(`release ${lock} ${task}`);
    },
  };
  const gates = new Gates(false, shared);
  const a = gates.enter({ name: "a", lock: "tf", interactive: false });
  const b = gates.enter({ name: "b", lock: "tf", interactive: false });
  const free = await gates.enter({ name: "c", lock: undefined, interactive: false });
  free();
  (await a)();
  (await b)();
  t.strictSame(calls, ["take tf a", "release tf a", "take tf b", "release tf b"], "one take per lock name at a time; none for a task without a lock");
});
