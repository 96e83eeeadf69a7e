import t from "tap";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fingerprint, readIfThere } from "../../lib/util/v8-cache.js";

// The saving at exit is tested through whole starts, in test/cli/code-cache.test.ts.

t.test("fingerprint: 16 hex digits, the same for the same text", async (t) => {
  const text = "/usr/lib/node_modules/mity/dist/bundle/mity.cjs\u0000719897";
  t.match(fingerprint(text), /^[0-9a-f]{16}$/);
  t.equal(fingerprint(text), fingerprint(`${text}`));
  t.match(fingerprint(""), /^[0-9a-f]{16}$/, "the empty text too");
});

t.test("fingerprint: texts that differ in one character, its place or their length get other names", async (t) => {
  const texts = ["mityfile.ts", "mityfile.tS", "mityfilets.", "mityfile.ts\u0000", "\u0000mityfile.ts", "mityfile.t", "mitÿfile.ts"];
  const names = new Set(texts.map(fingerprint));
  t.equal(names.size, texts.length);
  // Many near-identical cache keys (builds that differ only in a time stamp) stay apart.
  const stamps = Array.from({ length: 20_000 }, (_, i) => fingerprint(`bundle\u0000719897\u0000${1_764_000_000_000 + i}`));
  t.equal(new Set(stamps).size, stamps.length);
});

t.test("readIfThere: the bytes of a file, nothing for one that is not there", async (t) => {
  const dir = t.testdir({});
  writeFileSync(join(dir, "cache.bin"), Buffer.from([0, 255, 7]));
  t.same([...readIfThere(join(dir, "cache.bin"))!], [0, 255, 7]);
  t.equal(readIfThere(join(dir, "missing.bin")), undefined);
  t.equal(readIfThere(dir), undefined, "a folder is not a cache either");
});
