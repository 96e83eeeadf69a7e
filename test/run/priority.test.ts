import t from "tap";
import { ReadyQueue, remainingPaths, type PlanTask } from "../../lib/run/priority.js";

/** The skewed DAG of bench/: 8 short tasks declared first, then a chain of 3 long ones, and `all`. */
const skewed: PlanTask[] = [
  ...Array.from({ length: 8 }, (_, i) => ({ name: `short${i}`, deps: [], works: true })),
  { name: "long0", deps: [], works: true },
  { name: "long1", deps: ["long0"], works: true },
  { name: "long2", deps: ["long1"], works: true },
  { name: "all", deps: [...Array.from({ length: 8 }, (_, i) => `short${i}`), "long0", "long1", "long2"], works: false },
];

/** Simulates a run at `slots` wide with the given durations, admitting by priority; returns the makespan. */
function makespan(tasks: PlanTask[], durations: Record<string, number>, priorities: Map<string, number>, slots: number): number {
  const done = new Map<string, number>();
  const running: { name: string; end: number }[] = [];
  const queue = new ReadyQueue<string>();
  const queued = new Set<string>();
  let now = 0;
  while (done.size < tasks.length) {
    for (const task of tasks) {
      if (done.has(task.name) || queued.has(task.name) || !task.deps.every((dep) => done.has(dep))) continue;
      if (!task.works) {
        done.set(task.name, now);
        continue;
      }
      queue.push(task.name, priorities.get(task.name)!);
      queued.add(task.name);
    }
    while (running.length < slots && queue.size > 0) {
      const name = queue.pop()!;
      running.push({ name, end: now + durations[name]! });
    }
    if (running.length === 0) continue;
    running.sort((a, b) => a.end - b.end);
    const next = running.shift()!;
    now = next.end;
    done.set(next.name, now);
  }
  return now;
}

const durations: Record<string, number> = { long0: 1000, long1: 1000, long2: 1000 };
for (let i = 0; i < 8; i++) durations[`short${i}`] = 300;

t.test("recorded durations put the long chain first: the skewed DAG takes the best 3.0 s at -j2", async (t) => {
  const priorities = remainingPaths(skewed, (name) => durations[name]);
  t.equal(priorities.get("long0"), 3000);
  t.equal(priorities.get("long2"), 1000);
  t.equal(priorities.get("short3"), 300);
  t.equal(priorities.get("all"), 0);
  t.equal(makespan(skewed, durations, priorities, 2), 3000);
});

t.test("without durations, counting tasks starts the chain first and beats first-come order", async (t) => {
  const priorities = remainingPaths(skewed, () => undefined);
  t.equal(priorities.get("long0"), 3);
  t.equal(priorities.get("short0"), 1);
  // The last link ties with the short tasks (1 each) and waits for one of them: 3.1 s, not 4.2 s.
  t.equal(makespan(skewed, durations, priorities, 2), 3100);
});

t.test("first-come order (all equal priorities) is what make and hereby do: 4.2 s", async (t) => {
  const flat = new Map(skewed.map((task) => [task.name, 0]));
  t.equal(makespan(skewed, durations, flat, 2), 4200);
});

t.test("a task with no recorded duration counts as the median of the known ones", async (t) => {
  const tasks: PlanTask[] = [
    { name: "a", deps: [], works: true },
    { name: "b", deps: [], works: true },
    { name: "c", deps: [], works: true },
    { name: "new", deps: ["a"], works: true },
  ];
  const known: Record<string, number> = { a: 10, b: 20, c: 30 };
  const priorities = remainingPaths(tasks, (name) => known[name]);
  t.equal(priorities.get("new"), 20);
  t.equal(priorities.get("a"), 30);
});

t.test("a chain of 20000 tasks does not overflow the stack", async (t) => {
  const chain: PlanTask[] = Array.from({ length: 20000 }, (_, i) => ({ name: `t${i}`, deps: i ? [`t${i - 1}`] : [], works: true }));
  t.equal(remainingPaths(chain, () => undefined).get("t0"), 20000);
});

t.test("the ready queue: highest priority first, ties in arrival order", async (t) => {
  const queue = new ReadyQueue<string>();
  for (const [item, priority] of [["a", 1], ["b", 5], ["c", 1], ["d", 5], ["e", 3]] as const) queue.push(item, priority);
  const popped: string[] = [];
  while (queue.size > 0) popped.push(queue.pop()!);
  t.strictSame(popped, ["b", "d", "e", "a", "c"]);
  t.equal(queue.pop(), undefined);
});

t.test("the queue gives the same order as a stable sort by priority, over many random pushes and pops", async (t) => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 50; round++) {
    const queue = new ReadyQueue<number>();
    const reference: { item: number; priority: number }[] = [];
    const popped: number[] = [];
    const expected: number[] = [];
    for (let i = 0; i < 200; i++) {
      if (random() < 0.35 && reference.length > 0) {
        popped.push(queue.pop()!);
        // Highest priority first; among equals, the one pushed first.
        let best = 0;
        for (let j = 1; j < reference.length; j++) if (reference[j]!.priority > reference[best]!.priority) best = j;
        expected.push(reference.splice(best, 1)[0]!.item);
      } else {
        const priority = Math.floor(random() * 5);
        queue.push(i, priority);
        reference.push({ item: i, priority });
      }
    }
    t.strictSame(popped, expected, `round ${round}`);
  }
});
