import { spawn } from "node:child_process";
import { hostname } from "node:os";
import type { Graph } from "../graph/graph.js";
import { WORKER_TAG } from "../pool/leftovers.js";
import type { JobOrder } from "../pool/protocol.js";
import type { Style } from "../util/style.js";
import type { CliRequest } from "./args.js";
import { EXIT, type CliIO } from "./io.js";
import { watchSignals } from "./signals.js";

/** `--worker`, `--workers`, and the hidden job a worker hands to a mity of its own. */
export async function poolCommand(request: CliRequest, graph: Graph | undefined, cwd: string, style: Style, io: CliIO): Promise<number> {
  if (request.pools.job !== undefined) return (await import("./pool-job.js")).poolJobCommand(request, graph!, cwd, style, io, process.stdin);
  if (request.pools.workers) return (await import("./workers-list.js")).listWorkers(request, graph, io);
  return workerCommand(request, graph!, io);
}

/** `mity --worker bastion[,other] [-j N]`: serves the pools until SIGTERM (then drains; a second one cancels). */
async function workerCommand(request: CliRequest, graph: Graph, io: CliIO): Promise<number> {
  const [{ findTarget, tuning, DEFAULT_LOCK_MS }, { checkReachable }, { GroupRecord, stopLeftovers }, { startWorker }] = await Promise.all([
    import("../pool/target.js"),
    import("../pool/connection.js"),
    import("../pool/leftovers.js"),
    import("../pool/worker.js"),
  ]);
  const target = await findTarget(request.pools.redis, io.env, graph.root, graph);
  await checkReachable(target, "the worker");
  const log = (line: string) => io.stderr.write(`mity worker: ${line}\n`);
  const graceMs = request.graceMs ?? 5000;
  const left = await stopLeftovers(graph.root, (pid, signal) => process.kill(pid, signal), graceMs);
  if (left > 0) log(`stopped ${left} process group${left === 1 ? "" : "s"} that an earlier worker here left running`);
  const host = hostname();
  const id = `${process.pid}@${host}`;
  const record = new GroupRecord(graph.root, String(process.pid), process.pid);
  const script = process.argv[1]!;
  const worker = await startWorker({
    target,
    pools: request.pools.worker!,
    concurrency: request.concurrency ?? 1,
    id,
    host,
    acceptChanged: request.pools.acceptChanged,
    lockMs: tuning(io.env, "MITY_POOL_LOCK_MS", DEFAULT_LOCK_MS),
    record,
    log,
    now: Date.now,
    spawnJob: (order) =>
      spawn(process.execPath, [script, "-f", graph.file, "--pool-job", JSON.stringify(order)], {
        cwd: graph.root,
        // Its own process group, so that a later worker can stop it; the tag marks all it starts.
        detached: true,
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...io.env, ...traceEnv(order), [WORKER_TAG]: String(process.pid), MITY_IGNORE_LOCAL: "1", NO_COLOR: "1" },
      }),
  });
  const signals = io.signals
    ? watchSignals(
        io.signals,
        (signal) => log(`${signal}: taking no new task, waiting for the running ones (again to cancel them)`),
        (signal) => {
          log(`${signal}: cancelling the running tasks`);
          worker.cancelAll();
        },
      )
    : undefined;
  await new Promise<void>((resolve) => {
    if (!signals) return;
    signals.interrupt.addEventListener("abort", () => resolve(), { once: true });
  });
  await worker.drain();
  signals?.dispose();
  log("stopped");
  return EXIT.ok;
}

/** The coordinator's span of the task, as the job's mity reads an incoming context: its run nests there. */
function traceEnv(order: JobOrder): Record<string, string> {
  if (!order.trace) return {};
  return order.trace.tracestate === undefined ? { TRACEPARENT: order.trace.traceparent } : { TRACEPARENT: order.trace.traceparent, TRACESTATE: order.trace.tracestate };
}
