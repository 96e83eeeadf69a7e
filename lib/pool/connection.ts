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
    const cause = failure ?? (error as Error);
    const why = hidePasswordIn(cause.message || String(error));
    throw new MityError(`cannot reach Redis at ${target.shown} (from ${from}): ${why}${certificateHint(cause)}`);
  } finally {
    client.disconnect();
  }
}

/** Node's codes for a TLS certificate it refused (untrusted CA, self-signed, expired, wrong host). */
const CERTIFICATE_CODE = /CERT|SIGNATURE/;

/** Node names a refused certificate in its own terms; say what it means and how to trust a private CA. */
function certificateHint(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !CERTIFICATE_CODE.test(code)) return "";
  return ` (the server's TLS certificate is not trusted here, ${code}; for a private CA, set NODE_EXTRA_CA_CERTS to its PEM file)`;
}

/** An error from Redis, said without any password. */
export function describeRedisError(error: unknown): string {
  return hidePasswordIn(error instanceof Error ? error.message : String(error));
}
