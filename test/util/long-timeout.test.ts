import t from "tap";
import { setLongTimeout } from "../../lib/util/long-timeout.js";

t.test("a delay past what one timer holds does not fire at once", async (t) => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on("warning", onWarning);
  t.teardown(() => process.off("warning", onWarning));
  let fired = false;
  // 600 hours: Node's setTimeout overflows this to 1 ms.
  const timer = setLongTimeout(() => (fired = true), 600 * 3_600_000);
  await new Promise((resolve) => setTimeout(resolve, 50));
  timer.cancel();
  t.equal(fired, false);
  t.same(warnings, [], "no TimeoutOverflowWarning");
});

t.test("a delay longer than one step is waited out as a chain, never early", async (t) => {
  const started = performance.now();
  const elapsed = await new Promise<number>((resolve) => setLongTimeout(() => resolve(performance.now() - started), 60, 15));
  t.ok(elapsed >= 59, `fired after ${elapsed} ms`);
});

t.test("cancel stops a chain between its steps", async (t) => {
  let fired = false;
  const timer = setLongTimeout(() => (fired = true), 60, 10);
  await new Promise((resolve) => setTimeout(resolve, 25));
  timer.cancel();
  await new Promise((resolve) => setTimeout(resolve, 80));
  t.equal(fired, false);
});
