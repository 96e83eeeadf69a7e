import t from "tap";
import { Slots } from "../../lib/run/slots.js";

t.test("no more are let in than there are slots, the most urgent first", async (t) => {
  const slots = new Slots<string>(2);
  slots.wait("short", 1);
  slots.wait("long", 5);
  slots.wait("middle", 3);
  t.same(slots.admit(), ["long", "middle"]);
  t.same(slots.admit(), [], "both slots are taken");
  slots.release();
  t.same(slots.admit(), ["short"], "a released slot lets the next one in");
  t.same(slots.admit(), []);
});

t.test("tasks that became ready before an admission compete for its slots, whatever their order", async (t) => {
  const slots = new Slots<string>(1);
  slots.wait("early", 1);
  slots.wait("late but urgent", 9);
  t.same(slots.admit(), ["late but urgent"]);
  slots.release();
  t.same(slots.admit(), ["early"]);
});

t.test("equal priorities keep the order they became ready in", async (t) => {
  const slots = new Slots<string>(3);
  for (const name of ["a", "b", "c", "d"]) slots.wait(name, 2);
  t.same(slots.admit(), ["a", "b", "c"]);
  slots.release();
  t.same(slots.admit(), ["d"]);
});

t.test("a size below one still runs tasks, one at a time", async (t) => {
  for (const size of [0, -3]) {
    const slots = new Slots<number>(size);
    slots.wait(1, 0);
    slots.wait(2, 0);
    t.same(slots.admit(), [1], `size ${size}`);
    slots.release();
    t.same(slots.admit(), [2], `size ${size}`);
  }
});
