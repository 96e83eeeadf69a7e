import t from "tap";
import { closestNames, didYouMean, editDistance } from "../../lib/graph/suggest.js";

t.test("editDistance counts insertions, deletions and substitutions", async (t) => {
  const cases: [string, string, number][] = [
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["same", "same", 0],
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["test", "tset", 2],
    ["build", "biuld", 2],
    ["lint", "lints", 1],
    ["Build", "build", 1],
    ["testall", "test-all", 1],
  ];
  for (const [a, b, expected] of cases) {
    t.equal(editDistance(a, b), expected, `${a} / ${b}`);
    t.equal(editDistance(b, a), expected, `${b} / ${a}`);
  }
});

const TASKS = ["build", "test", "test-all", "lint", "e2e", "fw:apply", "home:fw:apply", "deploy"];

t.test("closestNames: near misses, whole names in a namespace, and names containing the word", async (t) => {
  const cases: [string, string[]][] = [
    ["biuld", ["build"]],
    ["BUILD", ["build"]],
    ["tset", ["test"]],
    ["testall", ["test-all"]],
    ["tes", ["test", "test-all"]],
    ["apply", ["fw:apply", "home:fw:apply"]],
    ["deploi", ["deploy"]],
    ["zzzzzzzz", []],
  ];
  for (const [wanted, expected] of cases) t.strictSame(closestNames(wanted, TASKS), expected, wanted);
});

t.test("closestNames: best first, ties by name, at most `most`", async (t) => {
  t.strictSame(closestNames("tast", ["test", "task", "toast", "last"]), ["last", "task", "test", "toast"].slice(0, 3));
  t.strictSame(closestNames("tast", ["test", "task", "toast", "last"], 2), ["last", "task"]);
  t.strictSame(closestNames("ab", ["ab", "abc", "xabx"]), ["ab", "abc", "xabx"]);
  t.strictSame(closestNames("x", []), []);
  t.strictSame(closestNames("build", new Set(["build:fast", "rebuild"]).values()), ["build:fast", "rebuild"], "any iterable");
});

t.test("didYouMean words none, one, two and three suggestions", async (t) => {
  t.equal(didYouMean("zzzzzzzz", TASKS), "");
  t.equal(didYouMean("biuld", TASKS), ' Did you mean "build"?');
  t.equal(didYouMean("apply", TASKS), ' Did you mean "fw:apply" or "home:fw:apply"?');
  t.equal(didYouMean("tast", ["test", "task", "last"]), ' Did you mean "last", "task" or "test"?');
});
