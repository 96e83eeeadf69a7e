import type { EventSink } from "../run/events.js";
import { encodeSpans } from "./otlp-json.js";
import { postBodies, SPANS_PER_REQUEST } from "./export.js";
import { readOtlpConfig } from "./otel-config.js";
import { RunTrace } from "./spans.js";
import { parseTraceparent } from "./trace-context.js";

export interface TracingOptions {
  env: Readonly<Record<string, string | undefined>>;
  runId: string;
  /** The named tasks: the run's span is called after them. */
  names: readonly string[];
  version: string;
  /** Unix time in milliseconds, now. */
  clock: () => number;
  warn: (message: string) => void;
}

/** A run's tracing: the event sink, each task's trace-context variables, and the export at the end. */
export interface Tracing {
  sink: EventSink;
  taskEnv: (task: string) => Record<string, string>;
  /** Sends the run's spans; resolves within the export timeout (at most 2 s), never rejects. */
  finish(): Promise<void>;
}

/** Starts tracing a run with the settings of the `OTEL_*` variables (the caller has checked they ask for it). */
export function startTracing(options: TracingOptions): Tracing {
  const { env } = options;
  const config = readOtlpConfig(env);
  for (const warning of config.warnings) options.warn(warning);
  const trace = new RunTrace({
    parent: parseTraceparent(env.TRACEPARENT, env.TRACESTATE),
    pipeline: options.names.join(" "),
    runId: options.runId,
    clock: options.clock,
  });
  return {
    sink: trace.sink,
    taskEnv: trace.taskEnv,
    async finish() {
      // A caller that does not sample its trace gets none from us either; its context still reaches the tasks.
      if (!trace.context.sampled || trace.spans.length === 0) return;
      const bodies: string[] = [];
      for (let i = 0; i < trace.spans.length; i += SPANS_PER_REQUEST) {
        bodies.push(encodeSpans(trace.spans.slice(i, i + SPANS_PER_REQUEST), config.resource, { name: "mity", version: options.version }));
      }
      const failure = await postBodies(config, bodies);
      if (failure !== undefined) options.warn(failure);
    },
  };
}
