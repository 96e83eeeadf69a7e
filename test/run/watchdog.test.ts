import t from "tap";
import { spawn } from "node:child_process";
import { Watchdog } from "../../lib/run/watchdog.js";
import type { Teardown } from "../helpers/mity.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real process group (a detached sleep), so that a watchdog that did start has something real to watch. */
function group(t: Teardown): number {
  const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
  t.teardown(() => child.kill("SIGKILL"));
  return child.pid!;
}

t.test("a stream of quick commands never starts the watchdog process", { skip: process.platform === "win32" }, async (t) => {
  const watchdog = new Watchdog();
  t.teardown(() => watchdog.close());
  const pgids = Array.from({ length: 8 }, () => group(t));
  let longest = 0;
  // 8 groups one after another, each alive for about 40 ms: 320 ms of commands, none of them for 100 ms.
  for (const pgid of pgids) {
    const added = performance.now();
    watchdog.added(pgid);
    await sleep(40);
    watchdog.removed(pgid);
    longest = Math.max(longest, performance.now() - added);
  }
  await sleep(150);
  // A machine too busy to keep a 40 ms timer within 90 ms has had a long command after all.
  if (longest < 90) t.equal(watchdog.started, false, `the longest group lived ${longest.toFixed(0)} ms`);
  else t.comment(`timers ran late (${longest.toFixed(0)} ms): not checked`);
});

t.test("a command that runs for a moment starts it, and it learns the groups alive then", { skip: process.platform === "win32" }, async (t) => {
  const watchdog = new Watchdog();
  t.teardown(() => watchdog.close());
  const quick = group(t);
  const slow = group(t);
  watchdog.added(slow);
  await sleep(60);
  watchdog.added(quick);
  t.equal(watchdog.started, false, "not before the oldest group has run for 100 ms");
  for (let waited = 0; !watchdog.started && waited < 2000; waited += 10) await sleep(10);
  t.equal(watchdog.started, true, "started once the first group had run 100 ms, though a younger one had not");
});

t.test("closed, it starts nothing", { skip: process.platform === "win32" }, async (t) => {
  const watchdog = new Watchdog();
  watchdog.added(group(t));
  watchdog.close();
  await sleep(200);
  t.equal(watchdog.started, false);
});
