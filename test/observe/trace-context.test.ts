import t from "tap";
import { formatTraceparent, parseTraceparent, randomId } from "../../lib/observe/trace-context.js";

const ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

t.test("a TRACEPARENT is read with its sampled flag and the TRACESTATE beside it", async (t) => {
  t.strictSame(parseTraceparent(`00-${ID}-${SPAN}-01`, " vendor=abc "), { traceId: ID, spanId: SPAN, sampled: true, traceState: "vendor=abc" });
  t.match(parseTraceparent(`00-${ID}-${SPAN}-00`), { sampled: false, traceState: undefined });
  t.match(parseTraceparent(`00-${ID.toUpperCase()}-${SPAN}-03`), { traceId: ID, sampled: true }, "upper case and other flags are read");
  t.match(parseTraceparent(`01-${ID}-${SPAN}-01-more`), { traceId: ID }, "a later version may add fields");
});

t.test("what is not a TRACEPARENT is ignored: the run then starts its own trace", async (t) => {
  for (const bad of [undefined, "", "garbage", `ff-${ID}-${SPAN}-01`, `00-${"0".repeat(32)}-${SPAN}-01`, `00-${ID}-${"0".repeat(16)}-01`, `00-${ID}-${SPAN}-01-extra`, `00-${ID.slice(1)}-${SPAN}-01`]) {
    t.equal(parseTraceparent(bad), undefined, String(bad));
  }
});

t.test("a span's TRACEPARENT, and ids of the right length that are never zero", async (t) => {
  t.equal(formatTraceparent({ traceId: ID, spanId: SPAN, sampled: true }), `00-${ID}-${SPAN}-01`);
  t.equal(formatTraceparent({ traceId: ID, spanId: SPAN, sampled: false }), `00-${ID}-${SPAN}-00`);
  t.match(randomId(16), /^[0-9a-f]{32}$/);
  t.match(randomId(8), /^[0-9a-f]{16}$/);
  t.not(randomId(8), randomId(8));
});
