import { randomUUID } from "node:crypto";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { TaskNode } from "../graph/graph.js";
import type { WorkContext, WorkOutcome } from "../run/work.js";
import type { TaskStop } from "../run/stop.js";
import { formatDuration } from "../util/duration.js";
import { describeRedisError } from "./connection.js";
import type { PoolOptions } from "./dispatcher.js";
import { fingerprint } from "./fingerprint.js";
import type { Inbox } from "./inbox.js";
import { CANCEL_CHANNEL, cancelledKey, outputKey, STREAM_KEEP_SECONDS, type CancelMessage, type PoolJob, type RemoteEnd, type StreamEntry } from "./protocol.js";

/** What a job on its way needs: its task's end comes from the stream, or from a check that saw the worker lost. */
export interface Tracked {
  jobId: string;
  pool: string;
  started: boolean;
  done: boolean;
  finish(outcome: RemoteEnd, note?: string): void;
}

/** What an attempt needs of its run and its pool. */
export interface Remote {
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
export class RemoteAttempt implements Tracked {
  readonly jobId = randomUUID();
  readonly pool: string;
  started = false;
  done = false;
  #worker: string | undefined;
  readonly #began: number;
  readonly #key: string;
  readonly #timers: NodeJS.Timeout[] = [];
  /** What to undo once it is over: following its stream, listening for its stop and for a kill. */
  readonly #forget: (() => void)[] = [];
  #resolve: (outcome: WorkOutcome) => void = () => {};

  constructor(readonly remote: Remote) {
    this.pool = remote.pool;
    this.#began = remote.context.now();
    this.#key = outputKey(this.jobId);
  }

  run(): Promise<WorkOutcome> {
    const { task, context, stop, attempt, pool, inbox, options } = this.remote;
    const numbered = attempt > 1 || task.retries ? { attempt } : {};
    context.emit({ event: "start", task: task.name, time: this.#began, pool, ...numbered });
    return new Promise<WorkOutcome>((resolve) => {
      this.#resolve = resolve;
      this.#forget.push(inbox.follow(this.#key, (entry) => this.#received(entry)));
      this.#forget.push(stop.onStop(() => this.#cancel("stop")));
      this.#forget.push(context.onKill(() => this.#cancel("kill")));
      this.remote.tracked.add(this);
      this.#enqueue();
      this.#later(1000, () => !this.started && this.#say(`mity: waiting for a worker of pool "${pool}"`));
      this.#later(options.poolWaitMs, this.#giveUp);
    });
  }

  finish(end: RemoteEnd, note?: string): void {
    if (this.done) return;
    this.done = true;
    const { task, context, stop, pool, writer, tracked } = this.remote;
    tracked.delete(this);
    for (const timer of this.#timers) clearTimeout(timer);
    for (const forget of this.#forget) forget();
    if (note) this.#say(note);
    void writer.del(this.#key).catch(() => {});
    this.#resolve(outcomeOf(end, task, stop, { pool, worker: this.#worker, duration: context.now() - this.#began }));
  }

  #received(entry: StreamEntry): void {
    if (entry.k === "start") {
      this.started = true;
      this.#worker = entry.worker;
      this.#say(`mity: running on ${entry.worker} (pool "${this.pool}")`);
    } else if (entry.k === "line") this.#show(entry.s, entry.l);
    else {
      const { k: _k, ...end } = entry;
      this.finish(end);
    }
  }

  #enqueue(): void {
    const { task, context, attempt, queue, inbox, options, runId } = this.remote;
    const data: PoolJob = {
      task: task.name,
      params: context.params?.get(task.name) ?? {},
      args: context.args,
      runId,
      fingerprint: fingerprint(task, options.root),
      attempt,
      graceMs: context.graceMs,
      trace: traceOf(options.taskEnv?.(task.name)),
    };
    queue
      .add(task.name, data, { jobId: this.jobId, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } })
      .then(() => inbox.wake())
      .catch((error: unknown) => this.finish({ state: "failed", duration: 0, reason: `could not queue it on Redis at ${options.target.shown}: ${describeRedisError(error)}` }));
  }

  #cancel(how: CancelMessage["how"]): void {
    const { context, queue, writer, options } = this.remote;
    const message: CancelMessage = { job: this.jobId, how };
    void writer.multi().set(cancelledKey(this.jobId), how, "EX", STREAM_KEEP_SECONDS).publish(CANCEL_CHANNEL, JSON.stringify(message)).exec().catch(() => {});
    if (!this.started) {
      void queue.remove(this.jobId).then((removed) => {
        if (removed === 1) this.finish({ state: "cancelled", duration: 0, reason: "cancelled before a worker took it" });
      }, () => {});
    }
    // A worker that never confirms (gone with Redis, say) cannot hold the run.
    this.#later(context.graceMs + options.lockMs + 5000, () => this.finish({ state: "cancelled", duration: 0, reason: "the worker did not confirm that it stopped the task" }));
  }

  // The wait is for a live worker: while one of the pool lives (busy with others' jobs), the job waits its turn.
  readonly #giveUp = (): void => {
    if (this.started || this.done) return;
    const { queue, options, poolIsLive } = this.remote;
    void poolIsLive(this.pool).then((live) => {
      if (live) return void this.#later(options.poolWaitMs, this.#giveUp);
      // Removed only if no worker holds it: one that took it just now keeps it.
      return queue.remove(this.jobId).then((removed) => {
        if (removed === 1) this.finish({ state: "failed", duration: 0, reason: `no worker of pool "${this.pool}" took it within ${seconds(options.poolWaitMs)}` });
      });
    }, () => {});
  };

  #later(ms: number, then: () => void): void {
    this.#timers.push(setTimeout(then, ms));
  }

  #say(line: string): void {
    const { task, context } = this.remote;
    context.emit({ event: "output", task: task.name, stream: "stderr", line, time: context.now() });
  }

  #show(stream: "stdout" | "stderr", line: string): void {
    const { task, context } = this.remote;
    const time = context.now();
    context.emit({ event: "chunk", task: task.name, stream, data: Buffer.from(`${line}\n`), time });
    context.emit({ event: "output", task: task.name, stream, line, time });
  }
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
