import t from "tap";
import { availableParallelism } from "node:os";
import { before, intervals, jsonMityfile, maxConcurrent, overlap, exits, timed } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";

// Two subtests side by side at most: the overlap margins below stay wide under that load.
t.jobs = 2;

// Timing margins are wide: a sleep of 300 ms shares at least 100 ms with a sibling started at the same time.
const SHARED_MS = 100;

/** A group `all` over independent sleeping tasks, plus groups with each value of `concurrent`. */
const fixture = () =>
  jsonMityfile({
    tasks: {
      all: { deps: ["x", "y"] },
      yes: { deps: ["x", "y"], concurrent: true },
      no: { deps: ["y", "x"], concurrent: false },
      five: { deps: ["t1", "t2", "t3", "t4", "t5"] },
      nested: { deps: ["inner", "y"], concurrent: true },
      inner: { deps: ["t1", "t2"], run: timed(0.1) },
      x: { run: timed(0.3) },
      y: { run: timed(0.3) },
      ...Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`t${i}`, { run: timed(0.2) }])),
    },
  });

t.test("--parallel makes independent deps overlap", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["--parallel", "-j4", "all"], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  const shared = overlap(times.get("x")!, times.get("y")!);
  t.ok(shared > SHARED_MS, `x and y shared ${shared} ms`);
});

t.test("without --parallel (concurrent unset) deps do not overlap and run in listed order", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["-j4", "all"], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  t.ok(before(times.get("x")!, times.get("y")!), `x ends before y starts: ${JSON.stringify([...times.values()])}`);
});

t.test("-j2 --parallel never runs more than 2 of 5 tasks at once", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["--parallel", "-j2", "five"], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  t.equal(times.size, 5, "all five ran");
  t.equal(maxConcurrent(times.values()), 2, `at most 2 at once, and 2 at some point: ${JSON.stringify([...times.values()])}`);
});

t.test("without -j, at most one task per CPU runs at once", async (t) => {
  const cpus = availableParallelism();
  const count = Math.min(cpus + 1, 6);
  const names = Array.from({ length: count }, (_, i) => `t${i + 1}`);
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: Object.fromEntries(names.map((name) => [name, { run: timed(0.3) }])) }) });
  const result = await runMity(["--parallel", ...names], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  t.equal(times.size, count);
  t.equal(maxConcurrent(times.values()), Math.min(cpus, count), `${cpus} CPUs, ${count} tasks`);
});

t.test("-j1 --parallel is strictly sequential", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["--parallel", "-j1", "five"], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  t.equal(times.size, 5, "all five ran");
  t.equal(maxConcurrent(times.values()), 1, "never two at once");
});

t.test("-j1 with several named tasks and --parallel is strictly sequential", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["-p", "--concurrency", "1", "x", "y", "t1"], { cwd: dir });
  exits(t, result, 0);
  t.equal(maxConcurrent(intervals(dir).values()), 1);
});

t.test("concurrent: true overlaps deps even without --parallel", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["-j4", "yes"], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  const shared = overlap(times.get("x")!, times.get("y")!);
  t.ok(shared > SHARED_MS, `x and y shared ${shared} ms`);
});

t.test("concurrent: false runs deps one after another in listed order even with --parallel", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["--parallel", "-j4", "no"], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  t.ok(before(times.get("y")!, times.get("x")!), `y (listed first) ends before x starts: ${JSON.stringify([...times.values()])}`);
});

t.test("concurrent applies to the task's own deps only: unset deps below follow the run's mode", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["-j4", "nested"], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  t.ok(overlap(times.get("t1")!, times.get("y")!) > SHARED_MS, "inner's branch overlaps y");
  t.ok(before(times.get("t1")!, times.get("t2")!), "inner's own deps run in order without --parallel");
  t.ok(before(times.get("t2")!, times.get("inner")!), "inner after its deps");
});

t.test("-j after the task names is still mity's option", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  const result = await runMity(["--parallel", "x", "y", "-j1"], { cwd: dir });
  exits(t, result, 0);
  t.equal(maxConcurrent(intervals(dir).values()), 1);
});

t.test("bad -j values are usage errors (exit 2) and run nothing", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": fixture() });
  for (const value of ["0", "1.5", "many"]) {
    const result = await runMity(["-j", value, "x"], { cwd: dir });
    exits(t, result, 2, `-j ${value}`);
    t.match(result.stderr, /concurrency|-j/, `-j ${value}: the message names the option`);
  }
  t.strictSame([...intervals(dir).keys()], [], "nothing ran");
});
