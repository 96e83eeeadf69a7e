import t from "tap";
import { shapeOf } from "../../lib/history/analysis.js";
import type { TaskRecord } from "../../lib/history/run-record.js";

const task = (name: string, deps: string[], start?: number, end?: number): TaskRecord => ({ name, deps, state: start === undefined ? "skipped" : "ok", duration: (end ?? 0) - (start ?? 0), ...(start === undefined ? {} : { start, end: end! }) });

t.test("waits, the critical path and layers of a small run", async (t) => {
  const shape = shapeOf([
    task("a", [], 0, 100),
    task("b", [], 5, 40),
    // Ready at 100 (a ended), started at 130: it waited 30 ms for a slot.
    task("c", ["a", "b"], 130, 200),
    task("d", ["b"], 45, 60),
    task("e", ["c", "d"]),
  ]);
  t.strictSame([...shape.wait], [["a", 0], ["b", 5], ["c", 30], ["d", 5]]);
  t.strictSame([...shape.critical], ["c", "a"]);
  t.strictSame(Object.fromEntries(shape.layer), { a: 0, b: 0, c: 1, d: 1, e: 2 });
});

t.test("a chain of 20,000 tasks is laid out without running out of stack", async (t) => {
  const tasks = Array.from({ length: 20_000 }, (_, i) => task(`t${i}`, i === 0 ? [] : [`t${i - 1}`], i, i + 1));
  const shape = shapeOf(tasks.reverse());
  t.equal(shape.layer.get("t19999"), 19_999);
  t.equal(shape.critical.size, 20_000);
});
