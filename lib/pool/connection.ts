import { ioredis } from "./packages.js";
import type { Redis, RedisOptions } from "ioredis";
import { MityError } from "../util/errors.js";
import { hidePasswordIn, type RedisTarget } from "./redis-url.js";

/** The connection options ioredis and BullMQ take for a target; commands wait through a reconnect. */
export function redisOptions(target: RedisTarget): RedisOptions {
  const { shown: _shown, ...options } = target;
  // BullMQ needs commands to wait for a reconnect rather than fail after a few retries.
  return { ...options, maxRetriesPerRequest: null, connectTimeout: 5000, retryStrategy: (times) => Math.min(200 * times, 2000) };
}

/** A new ioredis client; its errors are passed to `onError` (ioredis would print them itself otherwise). */
export async function openRedis(target: RedisTarget, onError: (error: Error) => void = () => {}, extra: RedisOptions = {}): Promise<Redis> {
  const { Redis } = ioredis();
  // ioredis' own option types do not hold with exactOptionalPropertyTypes.
  const client: Redis = new Redis({ ...redisOptions(target), ...extra } as never);
  client.on("error", onError);
  return client;
}

/** Connects once and answers PING, or throws a MityError naming the URL without its password. */
export async function checkReachable(target: RedisTarget, from: string): Promise<void> {
  let failure: Error | undefined;
  const client = await openRedis(target, (error) => (failure ??= error), { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const why = hidePasswordIn((failure ?? (error as Error)).message || String(error));
    throw new MityError(`cannot reach Redis at ${target.shown} (from ${from}): ${why}`);
  } finally {
    client.disconnect();
  }
}

/** An error from Redis, said without any password. */
export function describeRedisError(error: unknown): string {
  return hidePasswordIn(error instanceof Error ? error.message : String(error));
}
