import type { Graph, TaskNode } from "../graph/graph.js";
import { fingerprint } from "../pool/fingerprint.js";
import type { JobOrder } from "../pool/protocol.js";
import { MityError } from "../util/errors.js";
import type { Style } from "../util/style.js";
import type { CliRequest } from "./args.js";
import type { CliIO } from "./io.js";
import type { SignalSource } from "./signals.js";

/**
 * Runs one job of a pool in this process, started by a worker: the task of this mityfile alone (its
 * deps ran on the coordinator's side), with the same runner as a local run, its events as JSON lines.
 * The task must be this mityfile's own and have the coordinator's definition; its params are checked again.
 */
export async function poolJobCommand(request: CliRequest, graph: Graph, cwd: string, style: Style, io: CliIO, stdin: NodeJS.ReadableStream & { destroy(): void }): Promise<number> {
  const order = JSON.parse(request.pools.job!) as JobOrder;
  const task = graph.tasks.get(order.task);
  if (!task) throw new MityError(`worker ${order.worker} has no task "${order.task}" in its mityfile: its checkout is not the coordinator's project, or not at the same version`, { file: graph.file });
  const here = fingerprint(task, graph.root);
  if (here !== order.fingerprint && !order.acceptChanged) {
    throw new MityError(
      `worker ${order.worker} refused it: its definition here differs from the coordinator's (coordinator's fingerprint ${order.fingerprint}, worker's ${here}); bring both checkouts to the same version, or start the worker with --worker-accept-changed`,
      { file: task.file, task: task.name },
    );
  }
  // This task alone, once, here: its deps ran already, the coordinator runs each retry as a job of its own, and its pool is this machine now.
  const { pool: _pool, retries: _retries, ...definition } = task;
  const alone: TaskNode = { ...definition, deps: [] };
  const solo: Graph = { ...graph, tasks: new Map([[task.name, alone]]), defaultTask: undefined };
  const { runTasks } = await import("./run-tasks.js");
  const jobRequest: CliRequest = { ...request, tasks: [task.name], args: [...order.args], output: "json", yes: true, graceMs: order.graceMs };
  const signals = whenParentGone(io.signals, stdin);
  try {
    return await runTasks({ graph: solo, names: [task.name], params: { [task.name]: { ...order.params } }, request: jobRequest, concurrency: 1, cwd, style, io: { argv: io.argv, cwd: io.cwd, env: io.env, stdout: io.stdout, stderr: io.stderr, version: io.version, signals } });
  } finally {
    stdin.destroy();
  }
}

/** Signals, and a SIGTERM when the worker that started this process is gone (its pipe to our stdin closed). */
function whenParentGone(signals: SignalSource | undefined, stdin: NodeJS.ReadableStream): SignalSource {
  const terms = new Set<() => void>();
  const gone = () => {
    for (const listener of [...terms]) listener();
  };
  stdin.on("end", gone);
  stdin.on("error", gone);
  stdin.resume();
  return {
    on(signal, listener) {
      if (signal === "SIGTERM") terms.add(listener);
      signals?.on(signal, listener);
    },
    off(signal, listener) {
      terms.delete(listener);
      signals?.off(signal, listener);
    },
  };
}
