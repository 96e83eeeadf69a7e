/** What travels between a coordinator and a worker through Redis: names, never a command or code. */

/** BullMQ's keys of a pool's queue: `mity:q:<pool>:...`. */
export const QUEUE_PREFIX = "mity:q";

/** A job: which task of the worker's own mityfile to run, and with what. */
export interface PoolJob {
  /** Full task name. */
  task: string;
  /** Param values as the coordinator checked them; the worker checks them again. */
  params: Readonly<Record<string, unknown>>;
  /** Words after `--`. */
  args: readonly string[];
  /** The coordinator's run. */
  runId: string;
  /** The coordinator's fingerprint of the task's definition (see fingerprint.ts). */
  fingerprint: string;
  /** 1 for the first run of the task, 2 for its first retry... */
  attempt: number;
  /** Milliseconds between SIGTERM and SIGKILL when the task is stopped. */
  graceMs: number;
  /** The coordinator's span of this attempt (W3C `traceparent`, `tracestate`), when the run is traced: the worker's run nests in it. */
  trace?: { traceparent: string; tracestate?: string | undefined } | undefined;
}

/** What a worker hands to the mity it starts for one job. */
export interface JobOrder extends PoolJob {
  /** The worker's name, for messages. */
  worker: string;
  /** `--worker-accept-changed`: run it even when the definitions differ. */
  acceptChanged: boolean;
}

/** How a task ended on a worker, as the last entry of its output stream says. */
export interface RemoteEnd {
  state: "ok" | "failed" | "cancelled" | "skipped" | "up-to-date";
  duration: number;
  exitCode?: number;
  reason?: string;
}

/** One entry of a job's output stream, in order: `start`, then `line`s, then one `end`. */
export type StreamEntry =
  | { k: "start"; worker: string; host: string }
  | { k: "line"; n: number; s: "stdout" | "stderr"; l: string }
  | ({ k: "end" } & RemoteEnd);

/** The stream that carries a job's output and end back to the coordinator. */
export const outputKey = (jobId: string) => `mity:out:${jobId}`;

/** Set when a job is cancelled, so that a worker that takes it later does not start it. */
export const cancelledKey = (jobId: string) => `mity:cancelled:${jobId}`;

/** Where cancellations are published: `{ job, how }`. */
export const CANCEL_CHANNEL = "mity:cancel";

export interface CancelMessage {
  job: string;
  /** "stop": SIGTERM, grace, SIGKILL; "kill": at once. */
  how: "stop" | "kill";
}

/** A live worker's entry (a hash that expires unless the worker keeps it fresh). */
export const workerKey = (id: string) => `mity:worker:${id}`;
export const WORKER_KEYS = "mity:worker:*";

/** How long an output stream is kept after it ended, for a coordinator that reads it late. */
export const STREAM_KEEP_SECONDS = 24 * 3600;
