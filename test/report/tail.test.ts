import t from "tap";
import { Tail } from "../../lib/report/tail.js";

t.test("keeps the last lines within the limit, and counts the ones it dropped", async (t) => {
  const tail = new Tail(10);
  for (const line of ["aaa", "bbb", "ccc", "ddd"]) tail.push(line);
  // Each line costs its length and a newline: 3 lines of 4 fit in 10 only as 2.
  t.strictSame(tail.kept(), { lines: ["ccc", "ddd"], dropped: 2 });
});

t.test("a single line over the limit is kept whole", async (t) => {
  const tail = new Tail(4);
  tail.push("short");
  tail.push("a much longer line");
  t.strictSame(tail.kept(), { lines: ["a much longer line"], dropped: 1 });
});

t.test("empty lines count too", async (t) => {
  const tail = new Tail(100);
  for (const line of ["", "x", ""]) tail.push(line);
  t.strictSame(tail.kept(), { lines: ["", "x", ""], dropped: 0 });
});

t.test("exact across many blocks: the newest lines that fit, and the count of all the others", async (t) => {
  const tail = new Tail(7 * 100);
  for (let i = 0; i < 100_000; i++) tail.push(String(100_000 + i));
  const { lines, dropped } = tail.kept();
  t.equal(lines.length, 100);
  t.equal(dropped, 99_900);
  t.equal(lines[0], "199900");
  t.equal(lines.at(-1), "199999");
});

t.test("lines of every length, against keeping every line and cutting at the end", async (t) => {
  const limit = 5000;
  const tail = new Tail(limit);
  const all: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const line = "y".repeat((i * 7919) % 300);
    all.push(line);
    tail.push(line);
    if (i % 997 !== 0) continue;
    let chars = 0;
    let first = all.length;
    while (first > 0 && (first === all.length || chars + all[first - 1]!.length + 1 <= limit)) chars += all[--first]!.length + 1;
    t.strictSame(tail.kept(), { lines: all.slice(first), dropped: first }, `after ${i + 1} lines`);
  }
});
