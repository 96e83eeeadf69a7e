import { bullmq } from "./packages.js";
import { randomUUID } from "node:crypto";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { TaskNode } from "../graph/graph.js";
import type { Dispatcher } from "../run/dispatch.js";
import type { WorkContext, WorkOutcome } from "../run/work.js";
import type { TaskStop } from "../run/stop.js";
import { formatDuration } from "../util/duration.js";
import { checkReachable, describeRedisError, openRedis, redisOptions } from "./connection.js";
import { fingerprint } from "./fingerprint.js";
import { Inbox } from "./inbox.js";
import { CANCEL_CHANNEL, cancelledKey, outputKey, QUEUE_PREFIX, STREAM_KEEP_SECONDS, type CancelMessage, type PoolJob, type RemoteEnd } from "./protocol.js";
import type { RedisTarget } from "./redis-url.js";
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

/** What a job on its way needs: its task's end comes from the stream, or from a check that saw the worker lost. */
interface Tracked {
  jobId: string;
  pool: string;
  started: boolean;
  done: boolean;
  finish(outcome: RemoteEnd, note?: string): void;
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
    run: (task, context, stop, attempt) => runRemote({ task, context, stop, attempt, pool, queue: queueOf(pool), writer, inbox, tracked, options, runId, poolIsLive }),
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

interface Remote {
  task: TaskNode;
  context: WorkContext;
  stop: TaskStop;
  attempt: number;
  pool: string;
  queue: Queue;
  writer: Redis;
  inbox: Inbox;
  tracked: Set<Tracked>;
  options: PoolOptions;
  runId: string;
  /** Whether a worker of the pool is alive now (its entry in Redis is fresh). */
  poolIsLive: (pool: string) => Promise<boolean>;
}

/** One attempt of a pooled task: queued, taken by a worker, its output passed on, its end given back. */
function runRemote(remote: Remote): Promise<WorkOutcome> {
  const { task, context, stop, attempt, pool, queue, writer, inbox, options } = remote;
  const began = context.now();
  const numbered = attempt > 1 || task.retries ? { attempt } : {};
  context.emit({ event: "start", task: task.name, time: began, pool, ...numbered });
  const say = (line: string) => context.emit({ event: "output", task: task.name, stream: "stderr", line, time: context.now() });
  const show = (stream: "stdout" | "stderr", line: string) => {
    const time = context.now();
    context.emit({ event: "chunk", task: task.name, stream, data: Buffer.from(`${line}\n`), time });
    context.emit({ event: "output", task: task.name, stream, line, time });
  };
  const jobId = randomUUID();
  const key = outputKey(jobId);
  return new Promise<WorkOutcome>((resolve) => {
    let worker: string | undefined;
    const timers: NodeJS.Timeout[] = [];
    const job: Tracked = {
      jobId,
      pool,
      started: false,
      done: false,
      finish(end, note) {
        if (job.done) return;
        job.done = true;
        remote.tracked.delete(job);
        for (const timer of timers) clearTimeout(timer);
        unfollow();
        forgetStop();
        forgetKill();
        if (note) say(note);
        void writer.del(key).catch(() => {});
        resolve(outcomeOf(end, task, stop, { pool, worker, duration: context.now() - began }));
      },
    };
    const unfollow = inbox.follow(key, (entry) => {
      if (entry.k === "start") {
        job.started = true;
        worker = entry.worker;
        say(`mity: running on ${entry.worker} (pool "${pool}")`);
      } else if (entry.k === "line") show(entry.s, entry.l);
      else {
        const { k: _k, ...end } = entry;
        job.finish(end);
      }
    });
    const cancel = (how: CancelMessage["how"]) => {
      const message: CancelMessage = { job: jobId, how };
      void writer.multi().set(cancelledKey(jobId), how, "EX", STREAM_KEEP_SECONDS).publish(CANCEL_CHANNEL, JSON.stringify(message)).exec().catch(() => {});
      if (!job.started) {
        void queue.remove(jobId).then((removed) => {
          if (removed === 1) job.finish({ state: "cancelled", duration: 0, reason: "cancelled before a worker took it" });
        }, () => {});
      }
      // A worker that never confirms (gone with Redis, say) cannot hold the run.
      timers.push(setTimeout(() => job.finish({ state: "cancelled", duration: 0, reason: "the worker did not confirm that it stopped the task" }), context.graceMs + options.lockMs + 5000));
    };
    const forgetStop = stop.onStop(() => cancel("stop"));
    const forgetKill = context.onKill(() => cancel("kill"));
    remote.tracked.add(job);
    const data: PoolJob = {
      task: task.name,
      params: context.params?.get(task.name) ?? {},
      args: context.args,
      runId: remote.runId,
      fingerprint: fingerprint(task, options.root),
      attempt,
      graceMs: context.graceMs,
      trace: traceOf(options.taskEnv?.(task.name)),
    };
    queue
      .add(task.name, data, { jobId, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } })
      .then(() => inbox.wake())
      .catch((error: unknown) => job.finish({ state: "failed", duration: 0, reason: `could not queue it on Redis at ${options.target.shown}: ${describeRedisError(error)}` }));
    timers.push(setTimeout(() => !job.started && say(`mity: waiting for a worker of pool "${pool}"`), 1000));
    // The wait is for a live worker: while one of the pool lives (busy with others' jobs), the job waits its turn.
    const giveUp = () => {
      if (job.started || job.done) return;
      void remote.poolIsLive(pool).then((live) => {
        if (live) return void timers.push(setTimeout(giveUp, options.poolWaitMs));
        // Removed only if no worker holds it: one that took it just now keeps it.
        return queue.remove(jobId).then((removed) => {
          if (removed === 1) job.finish({ state: "failed", duration: 0, reason: `no worker of pool "${pool}" took it within ${seconds(options.poolWaitMs)}` });
        });
      }, () => {});
    };
    timers.push(setTimeout(giveUp, options.poolWaitMs));
  });
}

/** A wait as it was given: whole seconds as `60s`. */
const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : formatDuration(ms));

/** The task's outcome from the worker's end, in the terms of this run: its timeout, its cancel reason. */
function outcomeOf(end: RemoteEnd, task: TaskNode, stop: TaskStop, where: { pool: string; worker: string | undefined; duration: number }): WorkOutcome {
  const place = { pool: where.pool, ...(where.worker === undefined ? {} : { worker: where.worker }) };
  const exit = end.exitCode === undefined ? {} : { exitCode: end.exitCode };
  const duration = end.duration || where.duration;
  if (stop.cause === "timeout" && end.state !== "ok") return { state: "failed", duration, ...exit, reason: `timed out after ${formatDuration(task.timeout!)}`, ...place };
  if (stop.cause !== undefined && end.state === "cancelled") {
    return { state: "cancelled", duration, ...exit, reason: stop.reason ?? end.reason ?? "stopped", ...place };
  }
  return { state: end.state, duration, ...exit, ...(end.reason === undefined ? {} : { reason: end.reason }), ...place };
}

/** The trace context a task's own environment would have had, to travel with its job. */
function traceOf(env: Readonly<Record<string, string>> | undefined): PoolJob["trace"] {
  const traceparent = env?.["TRACEPARENT"];
  return traceparent === undefined ? undefined : { traceparent, tracestate: env?.["TRACESTATE"] };
}
