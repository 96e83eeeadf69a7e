import { EventEmitter } from "node:events";
import t from "tap";
import { watchSignals } from "../../lib/cli/signals.js";

t.test("the first signal aborts interrupt, a second one aborts kill", async (t) => {
  const source = new EventEmitter();
  const firsts: string[] = [];
  const signals = watchSignals(source, (signal) => firsts.push(signal));
  t.equal(signals.received(), undefined);
  t.equal(signals.interrupt.aborted, false);
  t.equal(signals.kill.aborted, false);

  source.emit("SIGINT");
  t.equal(signals.interrupt.aborted, true);
  t.equal(signals.interrupt.reason, "SIGINT");
  t.equal(signals.kill.aborted, false);
  t.equal(signals.received(), "SIGINT");
  t.strictSame(firsts, ["SIGINT"]);

  source.emit("SIGTERM");
  t.equal(signals.kill.aborted, true);
  t.equal(signals.kill.reason, "SIGTERM");
  t.equal(signals.received(), "SIGINT", "the first signal decides the exit code");
  t.strictSame(firsts, ["SIGINT"], "onFirst is called once");
  source.emit("SIGINT");
  t.equal(signals.received(), "SIGINT");
});

t.test("onSecond is told of the second signal once, when the kill begins", async (t) => {
  const source = new EventEmitter();
  const seconds: string[] = [];
  watchSignals(source, undefined, (signal) => seconds.push(signal));
  source.emit("SIGINT");
  t.strictSame(seconds, []);
  source.emit("SIGTERM");
  source.emit("SIGINT");
  t.strictSame(seconds, ["SIGTERM"]);
});

t.test("SIGTERM first is remembered as SIGTERM", async (t) => {
  const source = new EventEmitter();
  const signals = watchSignals(source);
  source.emit("SIGTERM");
  t.equal(signals.received(), "SIGTERM");
  t.equal(signals.interrupt.reason, "SIGTERM");
  t.equal(signals.kill.aborted, false);
  source.emit("SIGTERM");
  t.equal(signals.kill.aborted, true);
});

t.test("listens to SIGINT and SIGTERM only, and dispose() stops listening", async (t) => {
  const source = new EventEmitter();
  const signals = watchSignals(source);
  t.strictSame(source.eventNames().sort(), ["SIGINT", "SIGTERM"]);
  t.equal(source.listenerCount("SIGINT"), 1);
  t.equal(source.listenerCount("SIGTERM"), 1);
  signals.dispose();
  t.equal(source.listenerCount("SIGINT"), 0);
  t.equal(source.listenerCount("SIGTERM"), 0);
  source.emit("SIGINT");
  t.equal(signals.interrupt.aborted, false);
  t.equal(signals.received(), undefined);
});

t.test("two watchers are independent", async (t) => {
  const source = new EventEmitter();
  const a = watchSignals(source);
  const b = watchSignals(source);
  a.dispose();
  source.emit("SIGINT");
  t.equal(a.interrupt.aborted, false);
  t.equal(b.interrupt.aborted, true);
  b.dispose();
});
