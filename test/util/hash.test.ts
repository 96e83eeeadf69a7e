import t from "tap";
import { createHash } from "node:crypto";
import { sha256 } from "../../lib/util/hash.js";

t.test("sha256 is the SHA-256 of the text, in hex, for strings and buffers alike", async (t) => {
  const expected = createHash("sha256").update("hello\n").digest("hex");
  t.equal(sha256("hello\n"), expected);
  t.equal(sha256(Buffer.from("hello\n")), expected);
  t.not(sha256("a"), sha256("b"));
});
