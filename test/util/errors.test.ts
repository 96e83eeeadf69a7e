import t from "tap";
import { MityError, isMityError } from "../../lib/util/errors.js";

t.test("describe() puts the file, task and field it knows before the message", async (t) => {
  const cases: [ConstructorParameters<typeof MityError>[1], string][] = [
    [{}, "bad thing"],
    [undefined, "bad thing"],
    [{ file: "/p/mityfile.ts" }, "/p/mityfile.ts: bad thing"],
    [{ task: "build" }, 'task "build": bad thing'],
    [{ field: "deps" }, 'field "deps": bad thing'],
    [{ file: "/p/mityfile.ts", task: "fw:apply" }, '/p/mityfile.ts: task "fw:apply": bad thing'],
    [{ file: "/p/mityfile.ts", field: "default" }, '/p/mityfile.ts: field "default": bad thing'],
    [{ task: "build", field: "run" }, 'task "build", field "run": bad thing'],
    [{ file: "/p/mityfile.ts", task: "build", field: "run" }, '/p/mityfile.ts: task "build", field "run": bad thing'],
  ];
  for (const [place, expected] of cases) t.equal(new MityError("bad thing", place).describe(), expected, JSON.stringify(place));
});

t.test("keeps its place, name and cause, and is told apart from other errors", async (t) => {
  const cause = new SyntaxError("Unexpected token");
  const error = new MityError("cannot load", { file: "f.ts", task: "t", field: "x" }, { cause });
  t.equal(error.name, "MityError");
  t.equal(error.message, "cannot load");
  t.equal(error.file, "f.ts");
  t.equal(error.task, "t");
  t.equal(error.field, "x");
  t.equal(error.cause, cause);
  t.ok(error instanceof Error);
  t.equal(isMityError(error), true);
  t.equal(isMityError(cause), false);
  t.equal(isMityError("cannot load"), false);
  t.equal(isMityError(undefined), false);
  const bare = new MityError("m");
  t.equal(bare.file, undefined);
  t.equal(bare.task, undefined);
  t.equal(bare.field, undefined);
});

t.test("instanceof MityError holds for an error made by another copy of the class", async (t) => {
  // Two loads of one module file, as mity's bundle and a mityfile's `mity` package are.
  const copy = (await import(`../../lib/util/errors.js?copy=${Date.now()}`)) as typeof import("../../lib/util/errors.js");
  t.not(copy.MityError, MityError, "a separate class");
  t.ok(new copy.MityError("x") instanceof MityError);
  t.ok(new MityError("x") instanceof copy.MityError);
  t.ok(isMityError(new copy.MityError("x")));
  t.notOk(new Error("x") instanceof MityError, "a plain Error is not one");
  t.notOk(isMityError({ message: "x" }), "nor an object that looks like one");
});

t.test("a subclass of MityError keeps the ordinary instanceof", async (t) => {
  class Special extends MityError {}
  t.notOk(new MityError("x") instanceof Special, "a plain MityError is not a Special");
  t.ok(new Special("x") instanceof Special);
  t.ok(new Special("x") instanceof MityError);
});
