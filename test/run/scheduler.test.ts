import t from "tap";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveGraph } from "../../lib/graph/resolve.js";
import type { MityEvent } from "../../lib/run/events.js";
import { schedule, startSchedule, type ScheduleHandle, type ScheduleOptions } from "../../lib/run/scheduler.js";
import type { Dispatcher } from "../../lib/run/dispatch.js";
import type { WorkOutcome } from "../../lib/run/work.js";
import type { TaskConfig } from "../../lib/types.js";

// The scheduler driven in memory: function tasks, a collecting emit, no processes and no terminal.

// Tasks run in a folder that exists: a task whose folder is missing fails before its work.
const FILE = join(mkdtempSync(join(tmpdir(), "mity-scheduler-")), "mityfile.ts");

const pause = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Resolved tasks from plain task configs, as a mityfile would declare them. */
const graphOf = (tasks: Record<string, TaskConfig>) => resolveGraph([{ file: FILE, namespace: "", config: { tasks } }]);

/** Runs `names` and returns the result with every event, in order. */
async function run(tasks: Record<string, TaskConfig>, names: string[], options: Partial<ScheduleOptions> = {}) {
  const events: MityEvent[] = [];
  const started = Date.now();
  const result = await schedule({
    graph: graphOf(tasks), names, parallel: false, concurrency: 4, keepGoing: false, failFast: false, args: [], env: {}, graceMs: 200,
    emit: (event) => events.push(event), now: () => Date.now() - started, ...options,
  });
  const states = Object.fromEntries(result.tasks.map((task) => [task.name, task.state]));
  const reasons = Object.fromEntries(result.tasks.filter((task) => task.reason !== undefined).map((task) => [task.name, task.reason]));
  const order = events.filter((event) => event.event === "start" || event.event === "end").map((event) => `${event.event} ${"task" in event ? event.task : ""}`);
  return { result, events, states, reasons, order };
}

/** A task that records how many of its kind run at once; `fail` makes it throw after its pause. */
function counter() {
  let now = 0;
  let most = 0;
  const task = (ms: number, fail = false): TaskConfig => ({
    run: async () => {
      now++;
      most = Math.max(most, now);
      await pause(ms);
      now--;
      if (fail) throw new Error("broke");
    },
  });
  return { task, most: () => most };
}

t.test("a task every other one depends on runs once", async (t) => {
  let runs = 0;
  const { states } = await run(
    { base: { run: () => void runs++ }, a: { deps: ["base"], run: () => {} }, b: { deps: ["base"], run: () => {} }, top: { deps: ["a", "b"] } },
    ["top", "base"],
    { parallel: true },
  );
  t.equal(runs, 1);
  t.strictSame(states, { base: "ok", a: "ok", b: "ok", top: "ok" });
});

t.test("deps that are not concurrent run one after another in the order listed", async (t) => {
  const { order } = await run(
    { c: { run: () => pause(5) }, a: { run: () => pause(20) }, b: { run: () => pause(1) }, all: { deps: ["c", "a", "b"], concurrent: false } },
    ["all"],
    { parallel: true },
  );
  t.strictSame(order.slice(0, 6), ["start c", "end c", "start a", "end a", "start b", "end b"]);
  t.strictSame(order.slice(6), ["end all"], "the group ends last, without a start of its own");
});

t.test("concurrent deps run at the same time, and -j caps how many", async (t) => {
  const wide = counter();
  const tasks: Record<string, TaskConfig> = { all: { deps: ["a", "b", "c", "d", "e", "f"], concurrent: true } };
  for (const name of ["a", "b", "c", "d", "e", "f"]) tasks[name] = wide.task(30);
  await run(tasks, ["all"], { concurrency: 3 });
  t.equal(wide.most(), 3, "three at once under -j3");

  const one = counter();
  for (const name of ["a", "b", "c", "d", "e", "f"]) tasks[name] = one.task(5);
  await run(tasks, ["all"], { concurrency: 1 });
  t.equal(one.most(), 1, "one at a time under -j1");
});

t.test("a task waiting for its deps holds no slot", async (t) => {
  // With one slot, a task that took it while waiting for its dep would never let the dep in.
  const { states } = await run({ dep: { run: () => pause(5) }, top: { deps: ["dep"], run: () => {} }, other: { run: () => {} } }, ["top", "other"], { parallel: true, concurrency: 1 });
  t.strictSame(states, { dep: "ok", top: "ok", other: "ok" });
});

t.test("after a failure, by default: running tasks finish, nothing new starts", async (t) => {
  const { task } = counter();
  const { states, reasons, result } = await run(
    { bad: task(5, true), slow: task(40), later: { deps: ["slow"], run: () => {} }, all: { deps: ["bad", "slow", "later"], concurrent: true } },
    ["all"],
    { concurrency: 2 },
  );
  t.equal(result.state, "failed");
  t.equal(states.bad, "failed");
  t.equal(reasons.bad, "broke");
  t.equal(states.slow, "ok", "the running task was not stopped");
  t.equal(states.later, "skipped");
  t.equal(reasons.later, 'not started: the run stopped after "bad" failed');
  t.equal(states.all, "skipped");
  t.equal(reasons.all, 'dep "bad" failed');
});

t.test("--keep-going starts what does not depend on the failed task", async (t) => {
  const { task } = counter();
  const { states, reasons } = await run(
    { bad: task(5, true), slow: task(20), later: { deps: ["slow"], run: () => {} }, after: { deps: ["bad"], run: () => {} } },
    ["bad", "slow", "later", "after"],
    { parallel: true, concurrency: 2, keepGoing: true },
  );
  t.strictSame(states, { bad: "failed", slow: "ok", later: "ok", after: "skipped" });
  t.equal(reasons.after, 'dep "bad" failed');
});

t.test("--fail-fast stops the running tasks, with the reason", async (t) => {
  let aborted = false;
  const { states, reasons } = await run(
    {
      bad: { run: async () => (await pause(5), Promise.reject(new Error("broke"))) },
      long: { run: ({ signal }) => new Promise<void>((done) => signal.addEventListener("abort", () => ((aborted = true), done()))) },
    },
    ["bad", "long"],
    { parallel: true, failFast: true },
  );
  t.ok(aborted, "the long task's signal was aborted");
  t.strictSame(states, { bad: "failed", long: "cancelled" });
  t.equal(reasons.long, 'stopped because "bad" failed (--fail-fast)');
});

t.test("an interrupt cancels what runs and skips what has not started", async (t) => {
  const controller = new AbortController();
  const tasks: Record<string, TaskConfig> = {
    long: {
      run: async ({ signal }) => {
        controller.abort();
        if (!signal.aborted) await new Promise((done) => signal.addEventListener("abort", done));
      },
    },
    next: { deps: ["long"], run: () => {} },
  };
  const { states, reasons, result } = await run(tasks, ["next"], { signal: controller.signal });
  t.equal(result.state, "interrupted");
  t.strictSame(states, { long: "cancelled", next: "skipped" });
  t.equal(reasons.long, "stopped: the run was interrupted");
});

t.test("the skip hook passes a task over without failing its dependents", async (t) => {
  const ran: string[] = [];
  const { states, reasons, result } = await run(
    { lint: { run: () => void ran.push("lint") }, test: { deps: ["lint"], run: () => void ran.push("test") } },
    ["test"],
    { skip: (task) => (task.name === "lint" ? "no staged input" : undefined) },
  );
  t.equal(result.state, "ok");
  t.strictSame(ran, ["test"]);
  t.strictSame(states, { lint: "skipped", test: "ok" });
  t.equal(reasons.lint, "no staged input");
});

t.test("tasks that share a lock never run at the same time; others still do", async (t) => {
  const locked = counter();
  const free = counter();
  const tasks: Record<string, TaskConfig> = {};
  for (const name of ["a", "b", "c"]) tasks[name] = { ...locked.task(15), lock: "state" };
  for (const name of ["x", "y"]) tasks[name] = free.task(30);
  const { states } = await run(tasks, ["a", "b", "c", "x", "y"], { parallel: true, concurrency: 8 });
  t.equal(locked.most(), 1);
  t.equal(free.most(), 2);
  t.equal(Object.values(states).every((state) => state === "ok"), true);
});

t.test("an interactive task runs while no other task runs", async (t) => {
  let others = 0;
  let overlapped = false;
  const busy = (): TaskConfig => ({ run: async () => (others++, await pause(15), others--) });
  const { states } = await run(
    { a: busy(), b: busy(), term: { interactive: true, run: () => void (overlapped = others > 0) }, c: busy() },
    ["a", "b", "term", "c"],
    { parallel: true, concurrency: 8 },
  );
  t.equal(overlapped, false);
  t.equal(states.term, "ok");
});

t.test("a 10,000-deep chain runs without running out of stack", async (t) => {
  const tasks: Record<string, TaskConfig> = { t0: { run: () => {} } };
  for (let i = 1; i < 10_000; i++) tasks[`t${i}`] = { deps: [`t${i - 1}`], run: () => {} };
  const { result } = await run(tasks, ["t9999"]);
  t.equal(result.state, "ok");
  t.equal(result.tasks.length, 10_000);
});

t.test("every selected task gets exactly one end event, then one summary", async (t) => {
  const { task } = counter();
  const { events } = await run({ bad: task(1, true), a: { deps: ["bad"], run: () => {} }, b: { run: () => {} } }, ["a", "b"]);
  const ends = events.filter((event) => event.event === "end").map((event) => (event as { task: string }).task).sort();
  t.strictSame(ends, ["a", "b", "bad"]);
  t.equal(events.at(-1)?.event, "summary");
  t.equal(events.filter((event) => event.event === "summary").length, 1);
});

t.test("the next task starts before what the ended one reports is written", async (t) => {
  // Reporters write once per turn of the event loop (a setImmediate queued on `end`); the scheduler's
  // own turn-end must come first, so a slot is never idle while output is written.
  const order: string[] = [];
  const started = Date.now();
  await schedule({
    graph: graphOf({ a: { run: () => pause(5) }, b: { run: () => pause(5) } }),
    names: ["a", "b"], parallel: true, concurrency: 1, keepGoing: false, failFast: false, args: [], env: {}, graceMs: 200,
    now: () => Date.now() - started,
    emit: (event) => {
      if (event.event === "start") order.push(`start ${event.task}`);
      if (event.event === "end") setImmediate(() => order.push(`written ${event.task}`));
    },
  });
  t.ok(order.indexOf("start b") < order.indexOf("written a"), order.join(", "));
});

/** An in-memory pool of workers: a dispatcher whose tasks end when `finish` says, or when stopped. */
function memoryPool() {
  const running = new Map<string, (outcome: WorkOutcome) => void>();
  const stopped: { task: string; cause: string | undefined; reason: string | undefined }[] = [];
  const dispatcher: Dispatcher = {
    local: false,
    run: (task, context, stop, attempt) => {
      context.emit({ event: "start", task: task.name, time: context.now(), pool: "memory", worker: `w${running.size + 1}`, ...(attempt > 1 || task.retries ? { attempt } : {}) });
      return new Promise<WorkOutcome>((resolve) => {
        running.set(task.name, (outcome) => (running.delete(task.name), resolve({ ...outcome, pool: "memory", worker: "w1" })));
        stop.onStop(() => {
          stopped.push({ task: task.name, cause: stop.cause, reason: stop.reason });
          running.get(task.name)?.(stop.cause === "timeout" ? { state: "failed", duration: 1, reason: "timed out" } : { state: "cancelled", duration: 1, reason: stop.reason ?? "stopped" });
        });
      });
    },
  };
  /** Resolves once `names` all run in the pool at the same time. */
  const allRunning = async (names: string[]) => {
    while (!names.every((name) => running.has(name))) await pause(2);
  };
  const finish = (name: string, outcome: WorkOutcome = { state: "ok", duration: 1 }) => running.get(name)!(outcome);
  return { dispatcher, running, stopped, allRunning, finish };
}

t.test("tasks of a dispatcher other than the local one take none of the run's slots", async (t) => {
  const pool = memoryPool();
  let localRan = false;
  const tasks: Record<string, TaskConfig> = { a: { run: "remote" }, b: { run: "remote" }, c: { run: "remote" }, here: { run: () => void (localRan = true) } };
  const running = run(tasks, ["a", "b", "c", "here"], { parallel: true, concurrency: 1, dispatcherFor: (task) => (task.name === "here" ? undefined : pool.dispatcher) });
  // Under -j1 three pool tasks run at once, and a local one beside them.
  await pool.allRunning(["a", "b", "c"]);
  for (const name of ["a", "b", "c"]) pool.finish(name);
  const { states, events } = await running;
  t.ok(localRan);
  t.strictSame(states, { a: "ok", b: "ok", c: "ok", here: "ok" });
  const endOfA = events.find((event) => event.event === "end" && event.task === "a");
  t.match(endOfA, { pool: "memory", worker: "w1" }, "where it ran reaches the end event");
  t.match(events.find((event) => event.event === "start" && event.task === "a"), { pool: "memory" });
});

t.test("a dispatched task's failure follows the failure policy, and --fail-fast's stop reaches the others with its reason", async (t) => {
  const pool = memoryPool();
  const tasks: Record<string, TaskConfig> = { bad: { run: "remote" }, long: { run: "remote" }, after: { deps: ["bad"], run: () => {} } };
  const running = run(tasks, ["bad", "long", "after"], { parallel: true, failFast: true, dispatcherFor: (task) => (task.name === "after" ? undefined : pool.dispatcher) });
  await pool.allRunning(["bad", "long"]);
  pool.finish("bad", { state: "failed", duration: 1, exitCode: 3, reason: "exit code 3 from: remote" });
  const { states, reasons, result } = await running;
  t.equal(result.state, "failed");
  t.strictSame(states, { bad: "failed", long: "cancelled", after: "skipped" });
  t.strictSame(pool.stopped, [{ task: "long", cause: "cancelled", reason: 'stopped because "bad" failed (--fail-fast)' }]);
  t.equal(reasons.long, 'stopped because "bad" failed (--fail-fast)');
  t.equal(result.tasks.find((task) => task.name === "bad")?.exitCode, 3);
});

t.test("a dispatched task's timeout and an interrupt reach it through its stop", async (t) => {
  const pool = memoryPool();
  const slow = await run({ slow: { run: "remote", timeout: 20 } }, ["slow"], { dispatcherFor: () => pool.dispatcher });
  t.equal(slow.states.slow, "failed");
  t.equal(pool.stopped[0]?.cause, "timeout");

  const controller = new AbortController();
  const running = run({ slow: { run: "remote" } }, ["slow"], { dispatcherFor: () => pool.dispatcher, signal: controller.signal });
  await pool.allRunning(["slow"]);
  controller.abort();
  const { states, reasons, result } = await running;
  t.equal(result.state, "interrupted");
  t.equal(states.slow, "cancelled");
  t.equal(reasons.slow, "stopped: the run was interrupted");
});

t.test("retries: a failed attempt runs again, each with its own start, until one succeeds", async (t) => {
  let runs = 0;
  const { states, events, result } = await run({ flaky: { retries: 3, run: () => {
    if (++runs < 3) throw new Error(`broke ${runs}`);
  } } }, ["flaky"]);
  t.equal(result.state, "ok");
  t.equal(states.flaky, "ok");
  t.equal(runs, 3);
  const seen = events.filter((event) => event.event !== "summary").map((event) => (event.event === "output" ? event.line : `${event.event} ${"attempt" in event ? event.attempt : "-"}`));
  t.strictSame(seen, [
    "start 1", "mity: attempt 1 of 4 failed: broke 1; running it again",
    "start 2", "mity: attempt 2 of 4 failed: broke 2; running it again",
    "start 3", "end 3",
  ]);
  t.equal(result.tasks[0]?.attempt, 3);
});

t.test("retries: the task fails once its attempts are spent; a timeout counts as a failure", async (t) => {
  let runs = 0;
  const { states, reasons, result } = await run({ bad: { retries: 1, run: () => void runs++ === 0 ? Promise.reject(new Error("no")) : Promise.reject(new Error("still no")) } }, ["bad"]);
  t.equal(runs, 2);
  t.equal(states.bad, "failed");
  t.equal(reasons.bad, "still no");
  t.equal(result.tasks[0]?.attempt, 2);

  let slow = 0;
  const timed = await run({ hangs: { retries: 1, timeout: 20, run: ({ signal }) => (slow++ === 0 ? new Promise((done) => signal.addEventListener("abort", done)) : undefined) } }, ["hangs"]);
  t.equal(slow, 2, "the attempt that timed out was run again");
  t.equal(timed.states.hangs, "ok");
});

t.test("retries: no attempt runs again once the run stops, and a task without retries names no attempt", async (t) => {
  let runs = 0;
  const { states, events } = await run(
    { bad: { run: () => Promise.reject(new Error("no")) }, flaky: { retries: 2, run: async () => (runs++, await pause(20), Promise.reject(new Error("no"))) } },
    ["bad", "flaky"],
    { parallel: true },
  );
  t.equal(runs, 1, "not run again after another task failed");
  t.equal(states.flaky, "failed");
  t.ok(events.some((event) => event.event === "end" && event.task === "flaky" && event.attempt === 1));
  const plain = await run({ one: { run: () => {} } }, ["one"]);
  t.notOk(plain.events.some((event) => "attempt" in event), "no attempt field without retries");
});

t.test("retries: a dispatched task is run again the same way", async (t) => {
  const pool = memoryPool();
  const running = run({ flaky: { run: "remote", retries: 1 } }, ["flaky"], { dispatcherFor: () => pool.dispatcher });
  await pool.allRunning(["flaky"]);
  pool.finish("flaky", { state: "failed", duration: 1, reason: "worker lost" });
  await pool.allRunning(["flaky"]);
  pool.finish("flaky");
  const { states, events } = await running;
  t.equal(states.flaky, "ok");
  t.strictSame(events.filter((event) => event.event === "start").map((event) => (event as { attempt?: number }).attempt), [1, 2]);
});

/** Starts a run with a handle, collecting events; `onEvent` sees each one as it comes. */
function startRun(tasks: Record<string, TaskConfig>, names: string[], onEvent: (event: MityEvent, handle: ScheduleHandle) => void = () => {}) {
  const events: MityEvent[] = [];
  const started = Date.now();
  const handle: ScheduleHandle = startSchedule({
    graph: graphOf(tasks), names, parallel: true, concurrency: 4, keepGoing: false, failFast: false, args: [], env: {}, graceMs: 200,
    emit: (event) => (events.push(event), onEvent(event, handle)), now: () => Date.now() - started,
  });
  const lines = () => events.filter((event) => event.event === "start" || event.event === "end").map((event) => `${event.event} ${"task" in event ? event.task : ""}${event.event === "end" && event.reason ? ` (${event.reason})` : ""}`);
  return { handle, events, lines };
}

/** A task that runs until stopped the first time, and ends at once after. */
function untilStoppedOnce() {
  let runs = 0;
  const config: TaskConfig = {
    run: ({ signal }) => (runs++ === 0 ? new Promise((done) => signal.addEventListener("abort", done)) : undefined),
  };
  return { config, runs: () => runs };
}

t.test("restart: a running task is stopped, ends cancelled with the reason, and starts again", async (t) => {
  const server = untilStoppedOnce();
  let others = 0;
  const { handle, lines } = startRun({ server: server.config, other: { run: () => void others++ } }, ["server", "other"], (event, handle) => {
    if (event.event === "start" && event.task === "server" && server.runs() === 0) handle.restart(["server"], "src/a.ts changed");
  });
  const result = await handle.result;
  t.equal(result.state, "ok");
  t.equal(server.runs(), 2);
  t.equal(others, 1, "a task not affected is left alone");
  t.strictSame(lines().filter((line) => line.includes("server")), ["start server", "end server (restarted: src/a.ts changed)", "start server", "end server"]);
  t.equal(handle.restart(["server"], "again"), false, "no restart once the run has ended");
});

t.test("restart: an ended task runs again, and then its dependents that ended; what runs after them waits", async (t) => {
  const runs: string[] = [];
  const app = untilStoppedOnce();
  let restarted = false;
  const tasks: Record<string, TaskConfig> = {
    gen: { run: () => void runs.push("gen") },
    lib: { deps: ["gen"], run: () => void runs.push("lib") },
    app: { deps: ["lib"], run: (ctx) => (runs.push("app"), app.config.run as (c: typeof ctx) => unknown)(ctx) },
    other: { run: () => void runs.push("other") },
    all: { deps: ["app", "other"] },
  };
  const { handle, lines } = startRun(tasks, ["all"], (event, handle) => {
    if (event.event === "start" && event.task === "app" && !restarted) {
      restarted = true;
      handle.restart(["gen"], "schema.json changed");
    }
  });
  const result = await handle.result;
  t.equal(result.state, "ok");
  t.strictSame(runs.filter((name) => name !== "other"), ["gen", "lib", "app", "gen", "lib", "app"]);
  t.equal(runs.filter((name) => name === "other").length, 1);
  const order = lines();
  t.ok(order.includes("end app (restarted: schema.json changed)"), order.join(", "));
  t.ok(order.lastIndexOf("start gen") < order.lastIndexOf("start lib") && order.lastIndexOf("start lib") < order.lastIndexOf("start app"), order.join(", "));
  t.equal(order.at(-1), "end all", "the run's group ends once, last");
  t.strictSame(result.tasks.map((task) => task.state), ["ok", "ok", "ok", "ok", "ok"]);
});

t.test("restart: a dependent still waiting for a slot goes back to wait for the restarted dep, and runs once", async (t) => {
  const runs: string[] = [];
  const x = untilStoppedOnce();
  let restarted = false;
  const tasks: Record<string, TaskConfig> = {
    gen: { run: () => void runs.push("gen") },
    x: { deps: ["gen"], run: (ctx) => (runs.push("x"), x.config.run as (c: typeof ctx) => unknown)(ctx) },
    y: { deps: ["gen"], run: () => void runs.push("y") },
  };
  const events: MityEvent[] = [];
  const started = Date.now();
  const handle = startSchedule({
    graph: graphOf(tasks), names: ["x", "y"], parallel: true, concurrency: 1, keepGoing: false, failFast: false, args: [], env: {}, graceMs: 200,
    now: () => Date.now() - started,
    emit: (event) => {
      events.push(event);
      if (event.event === "start" && event.task === "x" && !restarted) restarted = handle.restart(["gen"], "gen.ts changed");
    },
  });
  const result = await handle.result;
  t.equal(result.state, "ok");
  // Under -j1 y waited for x's slot when gen was restarted: it never ran against the first gen.
  t.strictSame(runs.slice(0, 3), ["gen", "x", "gen"]);
  t.strictSame(runs.slice(3).sort(), ["x", "y"]);
  t.equal(events.filter((event) => event.event === "end" && event.task === "y").length, 1);
});
