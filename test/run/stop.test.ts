import t from "tap";
import { TaskStop } from "../../lib/run/stop.js";

t.test("a signal read before the stop aborts with the cause", async (t) => {
  const stop = new TaskStop();
  const signal = stop.signal;
  let heard: unknown;
  signal.addEventListener("abort", () => (heard = signal.reason));
  t.equal(stop.cause, undefined);
  stop.stop("timeout");
  t.equal(stop.cause, "timeout");
  t.equal(signal.aborted, true);
  t.equal(heard, "timeout");
});

t.test("a signal first read after the stop is already aborted; the first cause stays", async (t) => {
  const stop = new TaskStop();
  stop.stop("cancelled");
  stop.stop("timeout");
  t.equal(stop.cause, "cancelled");
  t.equal(stop.signal.aborted, true);
  t.equal(stop.signal.reason, "cancelled");
});

t.test("onStop listeners are called once; a forgotten one is not; one added after the stop runs at once", async (t) => {
  const stop = new TaskStop();
  const calls: string[] = [];
  stop.onStop(() => calls.push("a"));
  const forget = stop.onStop(() => calls.push("b"));
  forget();
  stop.stop("cancelled");
  stop.stop("cancelled");
  stop.onStop(() => calls.push("late"));
  t.strictSame(calls, ["a", "late"]);
});
