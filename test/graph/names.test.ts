import t from "tap";
import { NAME_PATTERN, qualify, resolveDep } from "../../lib/graph/names.js";

const TASKS = new Set(["build", "test", "fw:build", "fw:plan", "fw:sub:apply", "fw:sub:build", "home:fw:apply", "x:y"]);
const exists = (name: string) => TASKS.has(name);

t.test("qualify joins a namespace and a name", async (t) => {
  t.equal(qualify("", "build"), "build");
  t.equal(qualify("fw", "build"), "fw:build");
  t.equal(qualify("home:fw", "apply"), "home:fw:apply");
});

t.test("NAME_PATTERN allows letters, digits, dot, underscore and dash only", async (t) => {
  for (const name of ["build", "test-all", "v1.2", "_private", "A9", "1e3"]) t.equal(NAME_PATTERN.test(name), true, name);
  for (const name of ["", "a b", "a:b", "a/b", "ü", "a$", "-x\n"]) t.equal(NAME_PATTERN.test(name), false, JSON.stringify(name));
});

t.test("resolveDep looks in the task's own namespace first, then the enclosing ones", async (t) => {
  const cases: [string, string, string | undefined][] = [
    // [dep, namespace of the task, expected full name]
    ["build", "", "build"],
    ["build", "fw", "fw:build"],
    ["build", "fw:sub", "fw:sub:build"],
    ["plan", "fw:sub", "fw:plan"],
    ["test", "fw:sub", "test"],
    ["test", "home:fw", "test"],
    ["apply", "fw:sub", "fw:sub:apply"],
    ["sub:apply", "fw", "fw:sub:apply"],
    ["fw:build", "", "fw:build"],
    ["fw:build", "home", "fw:build"],
    ["x:y", "fw:sub", "x:y"],
    ["apply", "", undefined],
    ["apply", "fw", undefined],
    ["nope", "fw:sub", undefined],
    ["sub:apply", "", undefined],
  ];
  for (const [dep, namespace, expected] of cases) t.equal(resolveDep(dep, namespace, exists), expected, `${dep} from "${namespace}"`);
});

t.test("a leading colon means from the root, even when the namespace has the same name", async (t) => {
  t.equal(resolveDep(":build", "fw", exists), "build");
  t.equal(resolveDep(":build", "fw:sub", exists), "build");
  t.equal(resolveDep(":fw:plan", "home:fw", exists), "fw:plan");
  t.equal(resolveDep(":plan", "fw", exists), undefined, "no root task plan");
  t.equal(resolveDep(":", "", exists), undefined);
});

t.test("candidates are tried nearest first, and the search stops at the first hit", async (t) => {
  const asked: string[] = [];
  t.equal(resolveDep("go", "a:b:c", (name) => (asked.push(name), false)), undefined);
  t.strictSame(asked, ["a:b:c:go", "a:b:go", "a:go", "go"]);
  asked.length = 0;
  t.equal(resolveDep("go", "a:b", (name) => (asked.push(name), name === "a:b:go")), "a:b:go");
  t.strictSame(asked, ["a:b:go"]);
});
