import type { Graph } from "../graph/graph.js";
import { selectTasks } from "../graph/plan.js";
import { openPools, type Pools } from "./dispatcher.js";
import { DEFAULT_LOCK_MS, findTarget, tuning } from "./target.js";

export interface RunPoolOptions {
  /** `--redis`. */
  redis: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** `--pool-wait`, in milliseconds (default 60 s). */
  poolWaitMs: number | undefined;
  now: () => number;
  /** The run's per-task variables (`TRACEPARENT`), carried by each job. */
  taskEnv?: ((task: string) => Readonly<Record<string, string>>) | undefined;
}

/** The pools a run needs, connected; undefined when none of its tasks runs on a pool (nothing is loaded then). */
export async function openRunPools(graph: Graph, names: readonly string[], options: RunPoolOptions): Promise<Pools | undefined> {
  if (!selectTasks(graph, names).some((task) => task.pool !== undefined)) return undefined;
  const target = await findTarget(options.redis, options.env, graph.root, graph);
  return openPools({
    target,
    from: options.redis !== undefined ? "--redis" : options.env["MITY_REDIS_URL"] ? "MITY_REDIS_URL" : "the settings' redis",
    root: graph.root,
    poolWaitMs: options.poolWaitMs ?? 60_000,
    lockMs: tuning(options.env, "MITY_POOL_LOCK_MS", DEFAULT_LOCK_MS),
    now: options.now,
    taskEnv: options.taskEnv,
  });
}
