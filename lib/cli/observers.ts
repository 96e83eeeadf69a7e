import { resolve } from "node:path";
import type { Graph } from "../graph/graph.js";
import { tracingWanted } from "../observe/otel-config.js";
import type { EventSink } from "../run/events.js";
import type { CliIO } from "./io.js";

/** What watches a run besides its output: traces (OTLP) and the `--profile` file. */
export interface Observers {
  sink: EventSink;
  /** Variables added to a task's environment (its `TRACEPARENT`). */
  taskEnv: ((task: string) => Readonly<Record<string, string>>) | undefined;
  /** Sends the trace and writes the profile; never throws, and takes at most the export timeout. */
  finish(): Promise<void>;
}

export interface ObserveRequest {
  graph: Graph;
  names: readonly string[];
  concurrency: number;
  runId: string;
  cwd: string;
  /** `--profile <file>`. */
  profile: string | undefined;
  io: CliIO;
}

/** The run's observers, or undefined when none is asked for: then nothing of them is even loaded. */
export async function startObservers(job: ObserveRequest): Promise<Observers | undefined> {
  const { io } = job;
  const traced = tracingWanted(io.env);
  if (!traced && job.profile === undefined) return undefined;
  const warn = (message: string) => io.stderr.write(`mity: warning: ${message}\n`);
  const [tracing, profile] = await Promise.all([
    traced ? import("../observe/tracing.js").then(({ startTracing }) => startTracing({ env: io.env, runId: job.runId, names: job.names, version: io.version, clock: () => performance.timeOrigin + performance.now(), warn })) : undefined,
    job.profile === undefined ? undefined : import("../observe/profile.js").then(({ ProfileRecorder }) => new ProfileRecorder(job.graph, job.names.join(" "), job.concurrency)),
  ]);
  const sinks = [tracing?.sink, profile?.sink].filter((sink) => sink !== undefined);
  return {
    sink: sinks.length === 1 ? sinks[0]! : (event) => sinks.forEach((sink) => sink(event)),
    taskEnv: tracing?.taskEnv,
    async finish() {
      const written = profile && (await profile.write(resolve(job.cwd, job.profile!)));
      if (written) warn(written);
      await tracing?.finish();
    },
  };
}
