import t from "tap";
import { spawn } from "node:child_process";
import { treeAlive } from "../../lib/run/stop-tree.js";
import type { Teardown } from "../helpers/mity.js";

/** A process group of its own (a detached sleep), killed when the test ends. */
function liveGroup(t: Teardown): number {
  const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
  t.teardown(() => child.kill("SIGKILL"));
  return child.pid!;
}

/** A process group that has come and gone. */
async function goneGroup(): Promise<number> {
  const child = spawn("true", [], { detached: true, stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

t.test("a group with a process in it is alive, one whose processes have ended is not", { skip: process.platform === "win32" }, async (t) => {
  t.equal(treeAlive(liveGroup(t)), true);
  t.equal(treeAlive(await goneGroup()), false);
  t.equal(Error.stackTraceLimit, 10, "the stack trace limit is as it was");
});

t.test("where Error is frozen, the answers are the same", { skip: process.platform === "win32" }, async (t) => {
  const gone = await goneGroup();
  const live = liveGroup(t);
  Object.freeze(Error);
  t.equal(treeAlive(live), true);
  t.equal(treeAlive(gone), false);
});
