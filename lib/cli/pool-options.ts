import { MityError } from "../util/errors.js";

/** The command line's options for pools of workers. */
export interface PoolRequest {
  /** `--redis <url>`. */
  redis: string | undefined;
  /** `--worker a,b`: the pools this process serves as a worker. */
  worker: string[] | undefined;
  /** `--workers`: list the live workers. */
  workers: boolean;
  /** `--pool-wait <seconds>`, in milliseconds. */
  poolWaitMs: number | undefined;
  /** `--worker-accept-changed`. */
  acceptChanged: boolean;
  /** Hidden: the job a worker hands to the mity it starts for it (JSON). */
  job: string | undefined;
}

/** The pool options of a parsed command line, checked. */
export function poolRequest(parsed: Record<string, unknown>, argv: readonly string[]): PoolRequest {
  const wait = parsed["pool-wait"] as number | undefined;
  if (wait !== undefined && !(wait > 0)) {
    const typed = argv[argv.indexOf("--pool-wait") + 1];
    throw new MityError(`--pool-wait takes a number of seconds above 0, not ${Number.isNaN(wait) && typed !== undefined ? JSON.stringify(typed) : wait}`);
  }
  const worker = parsed.worker as string | undefined;
  const pools = worker?.split(",").map((pool) => pool.trim()).filter(Boolean);
  if (worker !== undefined && (pools!.length === 0 || pools!.some((pool) => !/^[A-Za-z0-9._-]+$/.test(pool)))) {
    throw new MityError(`--worker takes pool names separated by commas (mity --worker bastion,builders), not ${JSON.stringify(worker)}`);
  }
  if (parsed["worker-accept-changed"] && worker === undefined) throw new MityError("--worker-accept-changed only works with --worker");
  return {
    redis: parsed.redis as string | undefined,
    worker: pools,
    workers: Boolean(parsed.workers),
    poolWaitMs: wait === undefined ? undefined : wait * 1000,
    acceptChanged: Boolean(parsed["worker-accept-changed"]),
    job: parsed["pool-job"] as string | undefined,
  };
}
