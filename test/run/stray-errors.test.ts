import t from "tap";
import { ExitCalled, openGuard, runAsTask, strayMessage, type ErrorOwner, type ProcessHost } from "../../lib/run/stray-errors.js";

/** A stand-in for `process`: its listeners are called by hand. */
function fakeHost() {
  const listeners = new Map<string, ((error: unknown) => void)[]>();
  const exit = (() => {
    throw new Error("the real exit");
  }) as ProcessHost["exit"];
  const host: ProcessHost & { fire(event: string, error: unknown): void; count(): number } = {
    on: (event, listener) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
    off: (event, listener) => listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener)),
    exit,
    fire: (event, error) => listeners.get(event)?.forEach((listener) => listener(error)),
    count: () => [...listeners.values()].reduce((sum, list) => sum + list.length, 0),
  };
  return { host, exit };
}

const owner = (name: string, taken: unknown[], open = true): ErrorOwner => ({
  name,
  strayError: (error) => (open ? (taken.push(error), true) : false),
});

t.test("an error goes to the task whose code made it, even from a later timer", async (t) => {
  const { host } = fakeHost();
  const run: [unknown, string | undefined][] = [];
  const close = openGuard(host, (error, task) => run.push([error, task]));
  t.teardown(close);
  const a: unknown[] = [];
  const b: unknown[] = [];
  const fromA = new Error("from a");
  await new Promise<void>((resolve) => runAsTask(owner("a", a), () => setTimeout(() => (host.fire("uncaughtException", fromA), resolve()), 5)));
  runAsTask(owner("b", b), () => undefined);
  t.same(a, [fromA]);
  t.same(b, []);
  t.same(run, []);
});

t.test("an error of a task that has ended, or of no task, goes to the run", async (t) => {
  const { host } = fakeHost();
  const run: [unknown, string | undefined][] = [];
  const close = openGuard(host, (error, task) => run.push([error, task]));
  t.teardown(close);
  const late = new Error("late");
  runAsTask(owner("ended", [], false), () => host.fire("unhandledRejection", late));
  const outside = new Error("outside");
  host.fire("unhandledRejection", outside);
  // The same error told twice is handed on once.
  host.fire("uncaughtException", outside);
  t.same(run, [[late, "ended"], [outside, undefined]]);
  t.match(strayMessage(late, "ended", "/nowhere"), /^task "ended", after it had ended, let an error escape: late \(the run fails\)$/);
});

t.test("process.exit() fails the calling task and throws; the real one is back once the run closes", async (t) => {
  const { host, exit } = fakeHost();
  const close = openGuard(host, () => t.fail("not the run's"));
  const taken: unknown[] = [];
  t.throws(() => runAsTask(owner("quits", taken), () => host.exit(3)), ExitCalled);
  t.match(taken, [{ message: "called process.exit(3)" }]);
  close();
  t.equal(host.exit, exit);
  t.equal(host.count(), 0, "no listener left");
});
