import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { ProjectLocks } from "../../lib/run/project-locks.js";

function project(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "mity-locks-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const locks = (root: string, signal = new AbortController().signal, waits: string[] = []) =>
  new ProjectLocks({ root, signal, onWait: (task, line) => waits.push(`${task}: ${line}`) });

t.test("a lock is a file in .mity/locks naming this process and the task; releasing removes it", async (t) => {
  const root = project(t);
  const release = await locks(root).take("tf/state", "apply");
  const file = join(root, ".mity", "locks", "tf%2Fstate.lock");
  t.match(JSON.parse(readFileSync(file, "utf8")), { pid: process.pid, task: "apply" });
  release();
  t.notOk(existsSync(file));
});

t.test("a second holder (another run) waits, says once for whom, and goes in once the first releases", async (t) => {
  const root = project(t);
  const waits: string[] = [];
  const release = await locks(root).take("tfstate", "apply");
  let inside = false;
  const second = locks(root, undefined, waits)
    .take("tfstate", "plan")
    .then((leave) => ((inside = true), leave));
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(inside, false);
  t.strictSame(waits, [`plan: mity: waiting for lock "tfstate" held by mity pid ${process.pid} (task apply)`]);
  release();
  (await second)();
  t.equal(inside, true);
});

t.test("aborting the run ends the wait without the lock", async (t) => {
  const root = project(t);
  const release = await locks(root).take("tfstate", "apply");
  const controller = new AbortController();
  const waiting = locks(root, controller.signal).take("tfstate", "plan");
  controller.abort();
  (await waiting)();
  t.ok(existsSync(join(root, ".mity", "locks", "tfstate.lock")), "the holder's lock is untouched");
  release();
});
