import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The variable every process a worker's job starts inherits: how a later worker finds what a killed one left. */
export const WORKER_TAG = "MITY_WORKER_ID";

/**
 * A worker's record of the process groups it runs, in `.mity/workers/<id>.json` of its checkout: a
 * worker killed with SIGKILL cannot stop them, so the next worker started there does.
 */
export class GroupRecord {
  readonly #file: string;
  readonly #groups = new Set<number>();

  constructor(root: string, readonly id: string, readonly pid: number) {
    const dir = join(root, ".mity", "workers");
    mkdirSync(dir, { recursive: true });
    this.#file = join(dir, `${id}.json`);
    this.#save();
  }

  add(pgid: number): void {
    this.#groups.add(pgid);
    this.#save();
  }

  remove(pgid: number): void {
    this.#groups.delete(pgid);
    this.#save();
  }

  /** The worker ended as it should: nothing of it is left. */
  close(): void {
    rmSync(this.#file, { force: true });
  }

  #save(): void {
    // Written whole each time: a worker runs a few jobs at once, not thousands.
    writeFileSync(this.#file, JSON.stringify({ pid: this.pid, groups: [...this.#groups] }));
  }
}

/** What signals processes: `process.kill` in a worker, a fake in tests. */
export type Kill = (pid: number, signal: NodeJS.Signals | 0) => void;

const alive = (kill: Kill, pid: number) => {
  try {
    kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Stops what earlier workers of this checkout left running when they were killed: the process groups
 * their records name, and every process that carries their tag. Returns how many groups it stopped.
 */
export async function stopLeftovers(root: string, kill: Kill, graceMs: number): Promise<number> {
  const dir = join(root, ".mity", "workers");
  if (!existsSync(dir)) return 0;
  const groups = new Set<number>();
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".json"))) {
    const file = join(dir, name);
    let record: { pid: number; groups: number[] };
    try {
      record = JSON.parse(readFileSync(file, "utf8")) as typeof record;
    } catch {
      rmSync(file, { force: true });
      continue;
    }
    if (alive(kill, record.pid)) continue;
    for (const pgid of record.groups) groups.add(pgid);
    for (const pgid of taggedGroups(name.slice(0, -".json".length))) groups.add(pgid);
    rmSync(file, { force: true });
  }
  const living = [...groups].filter((pgid) => alive(kill, -pgid));
  if (living.length === 0) return 0;
  for (const pgid of living) signalGroup(kill, pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && living.some((pgid) => alive(kill, -pgid))) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pgid of living) signalGroup(kill, pgid, "SIGKILL");
  return living.length;
}

function signalGroup(kill: Kill, pgid: number, signal: NodeJS.Signals): void {
  try {
    kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** Process groups of the processes whose environment holds this worker's tag (Linux: /proc; elsewhere none). */
function taggedGroups(id: string): number[] {
  if (!existsSync("/proc/self/environ")) return [];
  const tag = `${WORKER_TAG}=${id}\0`;
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (!`${readFileSync(`/proc/${pid}/environ`, "latin1")}`.includes(tag)) continue;
      // The fifth field of stat, after the command in parentheses, is the process group.
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgid > 1) found.push(pgid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}
