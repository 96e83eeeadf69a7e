import type { Graph } from "../graph/graph.js";
import { MityError } from "../util/errors.js";
import { chooseRedisUrl, parseRedisUrl, type RedisTarget } from "./redis-url.js";

/**
 * Where the pools' queues live for a project: `--redis`, else `MITY_REDIS_URL`, else the settings'
 * `redis`. None of them is a usage error naming all three.
 */
export async function findTarget(option: string | undefined, env: Readonly<Record<string, string | undefined>>, root: string | undefined, graph?: Graph): Promise<RedisTarget> {
  let setting: string | undefined;
  if (option === undefined && !env["MITY_REDIS_URL"] && root !== undefined) {
    setting = (await (await import("../config/settings.js")).loadSettings(root))?.settings.redis;
  }
  const chosen = chooseRedisUrl(option, env, setting);
  if (!chosen) {
    const pooled = graph && [...graph.tasks.values()].find((task) => task.pool !== undefined);
    const why = pooled ? `runs on pool "${pooled.pool}", so mity needs the Redis that holds the pools' queues` : "pools need the Redis that holds their queues";
    throw new MityError(`${why}: give it with --redis <url>, MITY_REDIS_URL, or "redis" in the settings file`, pooled ? { file: pooled.file, task: pooled.name, field: "pool" } : {});
  }
  return parseRedisUrl(chosen.url, chosen.from);
}

/** Milliseconds from a variable meant for tests and tuning (`MITY_POOL_LOCK_MS`), else the default. */
export function tuning(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** How long a worker may go silent before its task is taken as lost (BullMQ's lock). */
export const DEFAULT_LOCK_MS = 30_000;
