import t from "tap";
import { findCycle } from "../../lib/graph/cycle.js";

const graphOf = (edges: Record<string, string[]>) => (name: string) => edges[name] ?? [];

t.test("finds the whole cycle, ending where it starts", async (t) => {
  const deps = graphOf({ a: ["b"], b: ["c"], c: ["a"], d: ["a"] });
  t.same(findCycle(["d", "a", "b", "c"], deps), ["a", "b", "c", "a"]);
});

t.test("no cycle in a diamond", async (t) => {
  t.equal(findCycle(["top", "l", "r", "base"], graphOf({ top: ["l", "r"], l: ["base"], r: ["base"] })), undefined);
});

t.test("a chain of 20000 tasks does not overflow the stack", async (t) => {
  const edges: Record<string, string[]> = {};
  for (let i = 1; i < 20000; i++) edges[`t${i}`] = [`t${i - 1}`];
  t.equal(findCycle(Object.keys(edges).reverse(), graphOf(edges)), undefined);
  edges.t0 = ["t19999"];
  t.equal(findCycle(["t19999"], graphOf(edges))?.length, 20001);
});
