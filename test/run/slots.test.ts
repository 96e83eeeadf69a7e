import t from "tap";
import { Slots } from "../../lib/run/slots.js";

/** Lets p-limit's queued starts happen (it starts a task a few microtasks after its slot opens). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Slots of `size` that record the order tasks start in. */
function recording<T>(size: number): { slots: Slots<T>; started: T[] } {
  const started: T[] = [];
  return { slots: new Slots<T>(size, (item) => started.push(item)), started };
}

t.test("no more start than there are slots, the most urgent first", async (t) => {
  const { slots, started } = recording<string>(2);
  slots.wait("short", 1);
  slots.wait("long", 5);
  slots.wait("middle", 3);
  await settle();
  t.same(started, ["long", "middle"]);
  slots.release("long");
  await settle();
  t.same(started, ["long", "middle"], "an ended task's slot waits for admit()");
  slots.admit();
  await settle();
  t.same(started, ["long", "middle", "short"], "then the next one starts in it");
});

t.test("tasks that became ready before a slot is given back compete for it, whatever their order", async (t) => {
  const { slots, started } = recording<string>(1);
  slots.wait("first", 5);
  slots.wait("early", 1);
  await settle();
  t.same(started, ["first"]);
  slots.release("first");
  // What the end of "first" made ready, as the scheduler's drain does before admit().
  slots.wait("made ready by first's end", 9);
  slots.admit();
  await settle();
  t.same(started, ["first", "made ready by first's end"]);
  slots.release("made ready by first's end");
  slots.admit();
  await settle();
  t.same(started, ["first", "made ready by first's end", "early"]);
});

t.test("equal priorities keep the order they became ready in", async (t) => {
  const { slots, started } = recording<string>(3);
  for (const name of ["a", "b", "c", "d"]) slots.wait(name, 2);
  await settle();
  t.same(started, ["a", "b", "c"]);
  slots.release("b");
  slots.admit();
  await settle();
  t.same(started, ["a", "b", "c", "d"]);
});

t.test("a size below one still runs tasks, one at a time", async (t) => {
  for (const size of [0, -3]) {
    const { slots, started } = recording<number>(size);
    slots.wait(1, 0);
    slots.wait(2, 0);
    await settle();
    t.same(started, [1], `size ${size}`);
    slots.release(1);
    slots.admit();
    await settle();
    t.same(started, [1, 2], `size ${size}`);
  }
});

t.test("tasks that end as they start: a slot goes on to the next task without deep recursion", async (t) => {
  const started: number[] = [];
  const slots: Slots<number> = new Slots<number>(2, (item) => {
    started.push(item);
    slots.release(item);
    // As the scheduler's drain does after a start; from within admit() it does nothing.
    while (slots.admit());
  });
  for (let i = 0; i < 20000; i++) slots.wait(i, 0);
  await settle();
  // What the scheduler's drain does: admit until no slot is given back.
  while (slots.admit());
  t.equal(started.length, 20000);
  t.same(started.slice(0, 3), [0, 1, 2]);
});

t.test("the slots given back at one admit() take the most urgent tasks, all chosen before any starts", async (t) => {
  const started: string[] = [];
  const slots: Slots<string> = new Slots<string>(2, (item) => {
    started.push(item);
    // A task that becomes ready as another starts waits for the next admit().
    if (item === "b") slots.wait("late", 99);
  });
  slots.wait("a", 9);
  slots.wait("b", 8);
  await settle();
  slots.wait("c", 1);
  slots.wait("d", 2);
  slots.release("a");
  slots.release("b");
  slots.admit();
  t.same(started, ["a", "b", "late", "d"], "late became ready before a and b ended; c waits");
});
