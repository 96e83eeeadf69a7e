import t from "tap";
import { Tail } from "../../lib/report/tail.js";

t.test("keeps the last lines within the limit, and counts the ones it dropped", async (t) => {
  const tail = new Tail(10);
  for (const line of ["aaa", "bbb", "ccc", "ddd"]) tail.push(line);
  // Each line costs its length and a newline: 3 lines of 4 fit in 10 only as 2.
  t.strictSame(tail.lines(), ["ccc", "ddd"]);
  t.equal(tail.dropped, 2);
  t.equal(tail.size, 2);
});

t.test("a single line over the limit is kept whole", async (t) => {
  const tail = new Tail(4);
  tail.push("short");
  tail.push("a much longer line");
  t.strictSame(tail.lines(), ["a much longer line"]);
});

t.test("stays right across the copies that cut dropped lines away", async (t) => {
  const tail = new Tail(7 * 100);
  for (let i = 0; i < 100_000; i++) tail.push(String(100_000 + i));
  t.equal(tail.size, 100);
  t.equal(tail.dropped, 99_900);
  t.equal(tail.lines()[0], "199900");
  t.equal(tail.lines().at(-1), "199999");
});
