import { bullmq } from "./packages.js";
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { openRedis, redisOptions, describeRedisError } from "./connection.js";
import type { GroupRecord } from "./leftovers.js";
import { CANCEL_CHANNEL, cancelledKey, outputKey, QUEUE_PREFIX, STREAM_KEEP_SECONDS, workerKey, type CancelMessage, type JobOrder, type PoolJob, type RemoteEnd, type StreamEntry } from "./protocol.js";
import type { RedisTarget } from "./redis-url.js";

export interface WorkerOptions {
  target: RedisTarget;
  pools: readonly string[];
  /** Jobs run at once, per pool. */
  concurrency: number;
  /** `name@host`, shown to coordinators. */
  id: string;
  host: string;
  acceptChanged: boolean;
  /** BullMQ's lock period: a worker that stops renewing it is taken as lost after this long. */
  lockMs: number;
  /** Starts the mity that runs one job; its stdout carries the run's JSON events. */
  spawnJob: (order: JobOrder) => ChildProcess;
  record: GroupRecord;
  /** Says what the worker does, one line at a time. */
  log: (line: string) => void;
  now: () => number;
}

/** A job this worker runs: the mity it started for it, and how far its stopping went. */
interface Running {
  task: string;
  child: ChildProcess | undefined;
  /** Stop requests so far: the first is SIGTERM (grace, then SIGKILL), the second kills at once. */
  stops: number;
}

export interface PoolWorker {
  /** Takes no new job, lets the running ones finish, then leaves. */
  drain(): Promise<void>;
  /** Stops the running jobs' processes (SIGTERM, grace, SIGKILL). */
  cancelAll(): void;
}

/**
 * A worker of some pools: takes their jobs from the queues and runs each through a mity of its own
 * started for it, passing every output line back in order on the job's stream, then its end.
 */
export async function startWorker(options: WorkerOptions): Promise<PoolWorker> {
  const onError = (error: Error) => options.log(`redis: ${describeRedisError(error)}`);
  const writer = await openRedis(options.target, onError);
  const listener = await openRedis(options.target, onError);
  const running = new Map<string, Running>();
  await listenForCancels(listener, running);
  const heartbeat = startHeartbeat(writer, options, running, onError);
  await heartbeat.beat();
  const processor = (job: Job<PoolJob>) => runJob(job, { options, writer, running, heartbeat, onError });
  const workers = options.pools.map((pool) => queueWorker(pool, processor, options, onError));
  options.log(`worker ${options.id} of pool${options.pools.length > 1 ? "s" : ""} ${options.pools.join(", ")}: ready (${options.concurrency} at once, Redis ${options.target.shown})`);
  return {
    async drain() {
      await Promise.all(workers.map((worker) => worker.close()));
      heartbeat.stop();
      await writer.del(workerKey(options.id)).catch(onError);
      options.record.close();
      listener.disconnect();
      await writer.quit().catch(() => writer.disconnect());
    },
    cancelAll() {
      for (const entry of running.values()) stopJob(entry, "stop");
    },
  };
}

/** Stops a job's mity: the first request with SIGTERM (it stops its task with the grace period), a second at once. */
function stopJob(entry: Running, how: CancelMessage["how"]): void {
  const wanted = how === "kill" ? 2 : 1;
  while (entry.stops < wanted) {
    entry.stops++;
    // Two different signals: two of one kind sent at once may arrive as one.
    entry.child?.kill(entry.stops === 1 ? "SIGTERM" : "SIGINT");
  }
}

/** Cancellations come to every worker on one channel; each acts on the jobs it runs. */
async function listenForCancels(listener: Redis, running: ReadonlyMap<string, Running>): Promise<void> {
  listener.on("message", (_channel: string, text: string) => {
    const message = JSON.parse(text) as CancelMessage;
    const entry = running.get(message.job);
    if (entry) stopJob(entry, message.how);
  });
  await listener.subscribe(CANCEL_CHANNEL);
}

interface Heartbeat {
  /** Says now that the worker lives, and what it runs. */
  beat(): Promise<void>;
  stop(): void;
}

/** The worker's entry for `mity --workers`, renewed well within its expiry while the worker lives. */
function startHeartbeat(writer: Redis, options: WorkerOptions, running: ReadonlyMap<string, Running>, onError: (error: Error) => void): Heartbeat {
  const since = new Date(options.now()).toISOString();
  const key = workerKey(options.id);
  const beat = async () => {
    const tasks = [...running.values()].map((entry) => entry.task);
    await writer.multi().hset(key, { id: options.id, host: options.host, pools: options.pools.join(","), since, running: JSON.stringify(tasks) }).pexpire(key, options.lockMs * 2).exec();
  };
  const timer = setInterval(() => void beat().catch(onError), Math.max(200, Math.min(5000, options.lockMs / 3)));
  return { beat, stop: () => clearInterval(timer) };
}

interface JobContext {
  options: WorkerOptions;
  writer: Redis;
  running: Map<string, Running>;
  heartbeat: Heartbeat;
  onError: (error: Error) => void;
}

/** One job: its mity started, its output relayed in order, its end written before the job's lock is let go. */
async function runJob(job: Job<PoolJob>, context: JobContext): Promise<RemoteEnd> {
  const { options, writer, running } = context;
  const id = job.id!;
  const data = job.data;
  const entry: Running = { task: data.task, child: undefined, stops: 0 };
  // Known before the cancelled mark is read: a cancel published meanwhile is not lost.
  running.set(id, entry);
  try {
    const relay = new Relay(writer, outputKey(id));
    if ((await writer.exists(cancelledKey(id))) === 1) return await relay.end({ state: "cancelled", duration: 0, reason: "cancelled before a worker started it" });
    relay.add({ k: "start", worker: options.id, host: options.host });
    options.log(`${data.task}: started (attempt ${data.attempt}, run ${data.runId})`);
    const child = options.spawnJob({ ...data, worker: options.id, acceptChanged: options.acceptChanged });
    entry.child = child;
    if (child.pid !== undefined) options.record.add(child.pid);
    // Stops asked for before the mity started reach it now.
    const pending = entry.stops;
    entry.stops = 0;
    if (pending > 0) stopJob(entry, pending > 1 ? "kill" : "stop");
    const ended = await relayRun(child, relay, options.now);
    if (child.pid !== undefined) options.record.remove(child.pid);
    options.log(`${data.task}: ${ended.state}${ended.reason ? ` (${ended.reason})` : ""}`);
    return await relay.end(ended);
  } finally {
    running.delete(id);
    void context.heartbeat.beat().catch(context.onError);
  }
}

/** BullMQ's worker of one pool's queue. */
function queueWorker(pool: string, processor: (job: Job<PoolJob>) => Promise<RemoteEnd>, options: WorkerOptions, onError: (error: Error) => void): Worker {
  const { Worker } = bullmq();
  const worker = new Worker<PoolJob, RemoteEnd>(pool, processor, {
    connection: redisOptions(options.target),
    prefix: QUEUE_PREFIX,
    concurrency: options.concurrency,
    name: options.id,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    // A job whose worker was lost fails: it is never run a second time behind anyone's back.
    maxStalledCount: 0,
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 24 * 3600 },
  } as never);
  worker.on("error", onError);
  return worker;
}

/** Writes a job's stream entries in order: one connection, commands sent in the order they are made. */
class Relay {
  #n = 0;
  #last: Promise<unknown> = Promise.resolve();

  constructor(readonly redis: Redis, readonly key: string) {}

  add(entry: StreamEntry): void {
    const sent = entry.k === "line" ? { ...entry, n: ++this.#n } : entry;
    this.#last = this.redis.xadd(this.key, "*", "e", JSON.stringify(sent));
  }

  line(stream: "stdout" | "stderr", text: string): void {
    this.add({ k: "line", n: 0, s: stream, l: text });
  }

  /** The last entry: no line comes after it. */
  async end(outcome: RemoteEnd): Promise<RemoteEnd> {
    this.add({ k: "end", ...outcome });
    await this.#last;
    await this.redis.expire(this.key, STREAM_KEEP_SECONDS);
    return outcome;
  }
}

/** Passes a job's mity's events to the stream as they come; resolves with how the task ended. */
async function relayRun(child: ChildProcess, relay: Relay, now: () => number): Promise<RemoteEnd> {
  const started = now();
  let outcome: RemoteEnd | undefined;
  const complaints: string[] = [];
  const events = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  const errors = createInterface({ input: child.stderr!, crlfDelay: Infinity });
  events.on("line", (text) => {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return relay.line("stdout", text);
    }
    if (event.event === "output") relay.line(event.stream as "stdout" | "stderr", event.line as string);
    else if (event.event === "end") {
      const { state, duration, exitCode, reason } = event as unknown as RemoteEnd;
      outcome = { state, duration, ...(exitCode === undefined ? {} : { exitCode }), ...(reason === undefined ? {} : { reason }) };
    }
  });
  errors.on("line", (text) => {
    complaints.push(text.replace(/^mity: /, ""));
    relay.line("stderr", text);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on("error", (error) => complaints.push(error.message));
    child.on("close", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  if (outcome) return outcome;
  const why = complaints.filter(Boolean).join("; ") || (signal ? `the worker's mity was killed by ${signal}` : `the worker's mity exited with code ${code}`);
  return { state: "failed", duration: now() - started, reason: why };
}
