import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Test } from "./fixtures.js";
import { awaitNoSurvivors, awaitSurvivors, startMity, type LiveMity } from "./live.js";
import { writeTreeFile } from "./mity.js";

/** Workers started in each checkout: they are stopped before their folder is removed. */
const workersIn = new Map<string, LiveMity[]>();

const stopped = async (worker: LiveMity) => {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
  await worker.exited;
};

/** A copy of a project in a temp folder of its own, as a worker's checkout on another machine would be. */
export function checkout(t: { teardown(fn: () => unknown): void }, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "mity-pool-"));
  t.teardown(async () => {
    await Promise.all((workersIn.get(root) ?? []).map(stopped));
    workersIn.delete(root);
    await jobsGone(root);
    // The mity a killed worker started for a job may still be writing its run log as it stops.
    rmSync(root, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  });
  for (const [path, text] of Object.entries(files)) writeTreeFile(root, path, text);
  return root;
}

/** A live `mity --worker` in `dir` (a checkout), ready to take jobs; killed when the test ends. */
export async function startWorker(t: { teardown(fn: () => unknown): void }, dir: string, args: readonly string[], env: Record<string, string>): Promise<LiveMity> {
  const worker = startMity(["--worker", ...args], dir, env);
  workersIn.set(dir, [...(workersIn.get(dir) ?? []), worker]);
  t.teardown(() => stopped(worker));
  await worker.waitFor(/: ready \(/, 30_000);
  return worker;
}

/** Waits (10 s at most, then kills) for the mitys that workers killed here had started for their jobs: they stop their tasks and write their logs first. */
async function jobsGone(root: string): Promise<void> {
  const dir = join(root, ".mity", "workers");
  const groups = existsSync(dir) ? readdirSync(dir).flatMap((name) => recordedGroups(join(dir, name))) : [];
  const alive = (pgid: number) => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 10_000;
  while (groups.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pgid of groups.filter(alive)) process.kill(-pgid, "SIGKILL");
}

function recordedGroups(file: string): number[] {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { groups: number[] }).groups;
  } catch {
    // Being written as the worker was killed: what it held is in the next record, or nowhere.
    return [];
  }
}

/** Ctrl-C on a coordinator whose pooled task runs `marker`'s command on a worker: exit 130, and the remote process tree gone. */
export async function interruptRemote(t: Test, run: LiveMity, marker: string): Promise<void> {
  await run.waitFor(/running on/, 30_000);
  t.ok((await awaitSurvivors(marker)).length > 0, "the remote command runs");
  run.child.kill("SIGINT");
  const { code } = await run.exited;
  t.equal(code, 130);
  t.same(await awaitNoSurvivors(marker, 10_000), [], "the remote process tree is gone");
}
