import { bullmq } from "./packages.js";
import { randomUUID } from "node:crypto";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { TaskNode } from "../graph/graph.js";
import type { Dispatcher } from "../run/dispatch.js";
import { checkReachable, describeRedisError, openRedis, redisOptions } from "./connection.js";
import { Inbox } from "./inbox.js";
import { outputKey, QUEUE_PREFIX } from "./protocol.js";
import type { RedisTarget } from "./redis-url.js";
import { RemoteAttempt, type Tracked } from "./remote-attempt.js";
import { liveWorkers } from "./workers.js";

export interface PoolOptions {
  target: RedisTarget;
  /** Where the URL came from, for messages. */
  from: string;
  /** The root mityfile's folder: fingerprints are relative to it. */
  root: string;
  /** How long a job waits for a worker to take it. */
  poolWaitMs: number;
  /** BullMQ's lock period, and so how long a silent worker or Redis is given before it is lost. */
  lockMs: number;
  now: () => number;
  /** Variables of a task's environment given by the run (its `TRACEPARENT`), read once the task has started. */
  taskEnv?: ((task: string) => Readonly<Record<string, string>>) | undefined;
}

/** The coordinator's side of the pools of one run: a dispatcher per pool, and how to close them. */
export interface Pools {
  dispatcherFor(task: TaskNode): Dispatcher | undefined;
  close(): Promise<void>;
}


/**
 * Connects to Redis (a run that cannot reach it stops before anything runs, exit 2) and returns the
 * dispatchers of the pools. Each pooled task becomes one job on its pool's queue; its output and end come
 * back on the job's stream. Queue events are never trusted alone: a periodic check looks at the job's lock.
 */
export async function openPools(options: PoolOptions): Promise<Pools> {
  await checkReachable(options.target, options.from);
  const { Queue } = bullmq();
  const runId = randomUUID();
  const tracked = new Set<Tracked>();
  let trouble: string | undefined;
  const onError = (error: unknown) => (trouble = describeRedisError(error));
  const writer = await openRedis(options.target, onError);
  const reader = await openRedis(options.target, onError);
  const inbox = new Inbox(reader, writer, runId, options.now, onError);
  void inbox.loop().catch(onError);
  const queues = new Map<string, Queue>();
  const queueOf = (pool: string) => {
    let queue = queues.get(pool);
    if (!queue) {
      queue = new Queue(pool, { connection: redisOptions(options.target), prefix: QUEUE_PREFIX } as never);
      queue.on("error", onError);
      queues.set(pool, queue);
    }
    return queue;
  };

  // The check behind the events: a started job whose lock is gone and whose stream has no end lost its worker.
  const checkEvery = Math.max(100, Math.min(2000, options.lockMs / 4));
  const check = setInterval(() => {
    if (options.now() - inbox.lastContact > options.lockMs) {
      const why = `lost the connection to Redis at ${options.target.shown}${trouble ? ` (${trouble})` : ""}`;
      for (const job of [...tracked]) job.finish({ state: "failed", duration: 0, reason: why });
      return;
    }
    for (const job of tracked) if (job.started && !job.done) void lostWorker(writer, job).catch(onError);
  }, checkEvery);

  // Asked by every job that waited long: one look at the workers' entries a second serves them all.
  let workersSeen: { at: number; pools: Promise<Set<string>> } | undefined;
  const poolIsLive = async (pool: string) => {
    if (!workersSeen || options.now() - workersSeen.at > 1000) {
      workersSeen = { at: options.now(), pools: liveWorkers(writer).then((workers) => new Set(workers.flatMap((worker) => worker.pools))) };
    }
    return (await workersSeen.pools).has(pool);
  };
  const dispatchers = new Map<string, Dispatcher>();
  const dispatcherOf = (pool: string): Dispatcher => ({
    local: false,
    run: (task, context, stop, attempt) => new RemoteAttempt({ task, context, stop, attempt, pool, queue: queueOf(pool), writer, inbox, tracked, options, runId, poolIsLive }).run(),
  });
  return {
    dispatcherFor(task) {
      if (task.pool === undefined) return undefined;
      let dispatcher = dispatchers.get(task.pool);
      if (!dispatcher) dispatchers.set(task.pool, (dispatcher = dispatcherOf(task.pool)));
      return dispatcher;
    },
    async close() {
      clearInterval(check);
      inbox.close();
      reader.disconnect();
      // Gone Redis cannot be quit politely: leave it after a moment.
      const polite = Promise.all([...[...queues.values()].map((queue) => queue.close()), writer.quit()]);
      await Promise.race([polite.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
      for (const queue of queues.values()) void queue.disconnect().catch(() => {});
      writer.disconnect();
    },
  };
}

/** The job's worker is lost when its lock is gone and its stream holds no end. */
async function lostWorker(redis: Redis, job: Tracked): Promise<void> {
  const locked = await redis.exists(`${QUEUE_PREFIX}:${job.pool}:${job.jobId}:lock`);
  if (locked === 1 || job.done) return;
  // The worker writes the end before it lets the lock go: an end there now will be read in a moment.
  const [last] = await redis.xrevrange(outputKey(job.jobId), "+", "-", "COUNT", 1);
  if (last && (JSON.parse(last[1][1]!) as { k: string }).k === "end") return;
  job.finish({ state: "failed", duration: 0, reason: "worker lost" });
}
