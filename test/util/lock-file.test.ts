import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { isAncestor, ownHolder, tryLock, unlock } from "../../lib/util/lock-file.js";

function lockPath(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "mity-lock-file-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "locks", "a.lock");
}

const gonePid = () => spawnSync("true").pid!;

t.test("the first comer takes the lock (making its folder); the next is told who holds it", async (t) => {
  const path = lockPath(t);
  const first = tryLock(path, ownHolder("apply"));
  t.ok("taken" in first);
  t.match(JSON.parse(readFileSync(path, "utf8")), { pid: process.pid, task: "apply", host: hostname() });
  const second = tryLock(path, ownHolder("plan"));
  t.match(second, { holder: { pid: process.pid, task: "apply" } });
  if ("taken" in first) unlock(path, first.taken);
  t.notOk(existsSync(path));
});

t.test("a holder that is gone, or a pid now used by another process, is taken over", async (t) => {
  for (const stale of [{ pid: gonePid(), host: hostname() }, { pid: process.pid, started: "0", host: hostname() }, gonePid()]) {
    const path = lockPath(t);
    tryLock(path, ownHolder());
    writeFileSync(path, JSON.stringify(stale));
    t.ok("taken" in tryLock(path, ownHolder()), JSON.stringify(stale));
  }
});

t.test("a live holder on this host holds; one on another host is never taken over", async (t) => {
  const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
  t.teardown(() => sleeper.kill("SIGKILL"));
  for (const holder of [{ pid: sleeper.pid! }, { pid: gonePid(), host: "elsewhere" }]) {
    const path = lockPath(t);
    tryLock(path, ownHolder());
    writeFileSync(path, JSON.stringify(holder));
    t.match(tryLock(path, ownHolder()), { holder }, JSON.stringify(holder));
  }
});

t.test("a file with no holder in it holds for a moment, then counts as left by a crash", async (t) => {
  const path = lockPath(t);
  tryLock(path, ownHolder());
  writeFileSync(path, "");
  t.match(tryLock(path, ownHolder()), { holder: undefined });
  const old = new Date(Date.now() - 60_000);
  utimesSync(path, old, old);
  t.ok("taken" in tryLock(path, ownHolder()));
});

t.test("unlock leaves alone a lock that another process took over meanwhile", async (t) => {
  const path = lockPath(t);
  const mine = tryLock(path, ownHolder());
  const theirs = JSON.stringify({ pid: 1, host: hostname(), task: "other" });
  writeFileSync(path, theirs);
  if ("taken" in mine) unlock(path, mine.taken);
  t.equal(readFileSync(path, "utf8"), theirs);
});

t.test("isAncestor: the parent of this process is one, this process and a stranger are not", async (t) => {
  t.equal(isAncestor(process.ppid), process.platform === "linux");
  t.equal(isAncestor(process.pid), false);
  t.equal(isAncestor(gonePid()), false);
});
