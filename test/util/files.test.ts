import t from "tap";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ignoreItself, writeAtomically } from "../../lib/util/files.js";

t.test("writeAtomically replaces a file's contents and leaves no temporary file behind", async (t) => {
  const dir = t.testdir({ "state.json": "old" });
  const file = join(dir, "state.json");
  writeAtomically(file, "new");
  t.equal(readFileSync(file, "utf8"), "new");
  writeAtomically(file, Buffer.from([1, 2, 3]));
  t.same([...readFileSync(file)], [1, 2, 3], "bytes as well as text");
  t.same(readdirSync(dir), ["state.json"]);
});

t.test("writeAtomically into a folder that does not exist throws, and writes nothing", async (t) => {
  const dir = t.testdir({});
  t.throws(() => writeAtomically(join(dir, "missing", "file"), "x"), { code: "ENOENT" });
  t.same(readdirSync(dir), []);
});

t.test("ignoreItself gives a .mity folder a .gitignore of *, and leaves one that is there alone", async (t) => {
  const dir = t.testdir({ ".mity": {} });
  const folder = join(dir, ".mity");
  ignoreItself(folder);
  t.equal(readFileSync(join(folder, ".gitignore"), "utf8"), "*\n");
  writeFileSync(join(folder, ".gitignore"), "*\n!keep\n");
  ignoreItself(folder);
  t.equal(readFileSync(join(folder, ".gitignore"), "utf8"), "*\n!keep\n", "the project's own lines stay");
});
