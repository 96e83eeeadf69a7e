import type { Redis } from "ioredis";
import { WORKER_KEYS } from "./protocol.js";

/** A live worker, as its entry in Redis says. */
export interface WorkerEntry {
  id: string;
  host: string;
  pools: string[];
  /** ISO time it started. */
  since: string;
  /** Tasks it runs now. */
  running: string[];
}

/** Every live worker (their entries expire when they stop renewing them). */
export async function liveWorkers(redis: Redis): Promise<WorkerEntry[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", WORKER_KEYS, "COUNT", 200);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  const entries = await Promise.all(keys.map((key) => redis.hgetall(key)));
  return entries
    .filter((entry) => entry.id !== undefined)
    .map((entry) => ({ id: entry.id!, host: entry.host ?? "", pools: (entry.pools ?? "").split(",").filter(Boolean), since: entry.since ?? "", running: JSON.parse(entry.running ?? "[]") as string[] }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The listing `mity --workers` prints: one line per worker. */
export function formatWorkers(workers: readonly WorkerEntry[], now: number): string {
  if (workers.length === 0) return "no live worker\n";
  return workers
    .map((worker) => {
      const age = Math.max(0, Math.round((now - Date.parse(worker.since)) / 1000));
      const tasks = worker.running.length === 0 ? "idle" : `running ${worker.running.join(", ")}`;
      return `${worker.id}  host ${worker.host}  pools ${worker.pools.join(",")}  ${tasks}  since ${worker.since} (${age}s)\n`;
    })
    .join("");
}
