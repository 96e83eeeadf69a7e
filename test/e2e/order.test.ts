import t from "tap";
import { join } from "node:path";
import { before, intervals, jsonMityfile, logged, readLog, exits, timed } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

const diamond = (command: string) =>
  jsonMityfile({
    tasks: {
      top: { deps: ["left", "right"], run: command },
      left: { deps: ["base"], run: command },
      right: { deps: ["base"], run: command },
      base: { run: command },
    },
  });

for (const parallel of [false, true]) {
  t.test(`diamond${parallel ? " with --parallel" : ""}: base once, before left and right, which are before top`, async (t) => {
    const dir = tempTree(t, { "mityfile.ts": diamond(logged()) });
    const result = await runMity([...(parallel ? ["--parallel", "-j4"] : []), "top"], { cwd: dir });
    exits(t, result, 0);
    const log = readLog(join(dir, "order.log"));
    t.equal(log.filter((line) => line === "base start").length, 1, "base started exactly once");
    t.equal(log.filter((line) => line === "base end").length, 1, "base ended exactly once");
    t.equal(log.length, 8, `four tasks, a start and an end each: ${log.join(", ")}`);
    const at = (line: string) => log.indexOf(line);
    for (const side of ["left", "right"]) {
      t.ok(at("base end") < at(`${side} start`), `base ends before ${side} starts`);
      t.ok(at(`${side} end`) < at("top start"), `${side} ends before top starts`);
    }
    if (!parallel) t.strictSame(log.slice(2, 6), ["left start", "left end", "right start", "right end"], "deps in listed order");
  });
}

t.test("-j1 --parallel on the diamond: tasks waiting for deps hold no slot, so it finishes", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": diamond(logged()) });
  const result = await runMity(["--parallel", "-j1", "top"], { cwd: dir, timeoutMs: 10000 });
  exits(t, result, 0);
  const log = readLog(join(dir, "order.log"));
  t.equal(log.length, 8);
  t.equal(log[0], "base start");
  t.equal(log.at(-1), "top end");
});

t.test("a dep shared by two named tasks runs once", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": diamond(logged()) });
  const result = await runMity(["left", "right", "top"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(readLog(join(dir, "order.log")), [
    "base start", "base end", "left start", "left end", "right start", "right end", "top start", "top end",
  ]);
});

t.test("a task named twice runs once", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": diamond(logged()) });
  const result = await runMity(["base", "base", "--parallel", "base"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(readLog(join(dir, "order.log")), ["base start", "base end"]);
});

t.test("several named tasks run in the given order without --parallel", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": jsonMityfile({ tasks: { a: { run: timed(0.2) }, b: { run: timed(0.2) }, c: { run: timed(0.2) } } }),
  });
  const result = await runMity(["-j4", "c", "a", "b"], { cwd: dir });
  exits(t, result, 0);
  const times = intervals(dir);
  t.equal(times.size, 3);
  t.ok(before(times.get("c")!, times.get("a")!), "c ends before a starts");
  t.ok(before(times.get("a")!, times.get("b")!), "a ends before b starts");
});

t.test("several named tasks overlap with --parallel", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": jsonMityfile({ tasks: { a: { run: timed(0.4) }, b: { run: timed(0.4) }, c: { run: timed(0.4) } } }),
  });
  const result = await runMity(["-j4", "--parallel", "c", "a", "b"], { cwd: dir });
  exits(t, result, 0);
  const times = [...intervals(dir).values()];
  t.equal(times.length, 3);
  const latestStart = Math.max(...times.map((i) => i.start));
  const earliestEnd = Math.min(...times.map((i) => i.end));
  t.ok(latestStart < earliestEnd, `all three ran at one moment (latest start ${latestStart}, earliest end ${earliestEnd})`);
});
