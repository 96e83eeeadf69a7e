import type { Graph } from "../graph/graph.js";
import type { CliRequest } from "./args.js";
import { EXIT, type CliIO } from "./io.js";

/** `mity --workers`: the live workers of every pool. */
export async function listWorkers(request: CliRequest, graph: Graph | undefined, io: CliIO): Promise<number> {
  const [{ findTarget }, { checkReachable, openRedis }, { liveWorkers, formatWorkers }] = await Promise.all([import("../pool/target.js"), import("../pool/connection.js"), import("../pool/workers.js")]);
  const target = await findTarget(request.pools.redis, io.env, graph?.root, graph);
  await checkReachable(target, "--workers");
  const redis = await openRedis(target);
  try {
    const workers = await liveWorkers(redis);
    io.stdout.write(formatWorkers(workers, Date.now()));
  } finally {
    redis.disconnect();
  }
  return EXIT.ok;
}
