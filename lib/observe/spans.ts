import type { EndEvent, MityEvent, StartEvent, SummaryEvent } from "../run/events.js";
import { taskResult, runResult, type TaskResult } from "./results.js";
import { formatTraceparent, randomId, type TraceContext } from "./trace-context.js";

export type AttributeValue = string | number | boolean;

/** One finished span, in the terms of OpenTelemetry's data model; times are unix milliseconds. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string | undefined;
  traceState?: string | undefined;
  name: string;
  kind: "server" | "internal";
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  /** Set only when the span failed, with why. */
  error?: string | undefined;
}

/** What pooled and retried tasks' events may carry besides the common fields. */
type Placement = { pool?: string; worker?: string; attempt?: number };

interface OpenSpan {
  spanId: string;
  start: StartEvent & Placement;
}

export interface RunTraceOptions {
  /** The caller's span (an incoming `TRACEPARENT`), of which the run becomes a child. */
  parent?: TraceContext | undefined;
  /** The run's name for people: the named tasks. */
  pipeline: string;
  runId: string;
  /** Unix time in milliseconds, now. */
  clock: () => number;
}

/**
 * The spans of one run, built from its events: one for the run, one for each task attempt that started.
 * A task's span exists from its start event on, so the task's own `TRACEPARENT` can name it.
 */
export class RunTrace {
  readonly context: TraceContext;
  readonly #parentSpanId: string | undefined;
  readonly #open = new Map<string, OpenSpan>();
  readonly #finished: SpanRecord[] = [];
  readonly #results: TaskResult[] = [];
  /** Unix milliseconds at the run's time 0, fixed by its first event. */
  #origin: number | undefined;

  constructor(readonly options: RunTraceOptions) {
    const { parent } = options;
    this.context = { traceId: parent?.traceId ?? randomId(16), spanId: randomId(8), sampled: parent?.sampled ?? true, traceState: parent?.traceState };
    this.#parentSpanId = parent?.spanId;
  }

  /** Takes every event of the run. */
  readonly sink = (event: MityEvent): void => {
    if (event.event === "start") this.#started(event);
    else if (event.event === "end") this.#ended(event);
    else if (event.event === "summary") this.#summary(event);
  };

  /** The trace-context variables of a task's environment: its own span, once it has started. */
  readonly taskEnv = (task: string): Record<string, string> => {
    const spanId = this.#open.get(task)?.spanId ?? this.context.spanId;
    const traceparent = formatTraceparent({ ...this.context, spanId });
    return this.context.traceState ? { TRACEPARENT: traceparent, TRACESTATE: this.context.traceState } : { TRACEPARENT: traceparent };
  };

  get spans(): readonly SpanRecord[] {
    return this.#finished;
  }

  #at(time: number): number {
    this.#origin ??= this.options.clock() - time;
    return this.#origin + time;
  }

  #started(event: StartEvent): void {
    this.#at(event.time);
    // Another attempt of a task whose last one had no end of its own: that one ended now.
    if (this.#open.has(event.task)) this.#ended({ event: "end", task: event.task, state: "failed", duration: 0, reason: "retried", time: event.time });
    this.#open.set(event.task, { spanId: randomId(8), start: event });
  }

  /** An up-to-date task did no work but was checked: a span of no length says so. A skipped one has none. */
  #checkedOnly(event: EndEvent): OpenSpan | undefined {
    return event.state === "up-to-date" ? { spanId: randomId(8), start: { event: "start", task: event.task, time: event.time } } : undefined;
  }

  #ended(event: EndEvent & Placement): void {
    const open = this.#open.get(event.task) ?? this.#checkedOnly(event);
    if (!open) return;
    this.#open.delete(event.task);
    const { start } = open;
    const result = taskResult(event);
    this.#results.push(result);
    const attempt = event.attempt ?? start.attempt;
    const attributes: Record<string, AttributeValue> = {
      "cicd.pipeline.name": this.options.pipeline,
      "cicd.pipeline.run.id": this.options.runId,
      "cicd.pipeline.task.name": event.task,
      "cicd.pipeline.task.run.id": `${this.options.runId}/${event.task}${attempt === undefined ? "" : `/${attempt}`}`,
      "cicd.pipeline.task.run.result": result.result,
      "mity.state": event.state,
      "mity.up_to_date": event.state === "up-to-date",
    };
    if (result.errorType !== undefined) attributes["error.type"] = result.errorType;
    if (event.exitCode !== undefined) attributes["mity.exit_code"] = event.exitCode;
    if (event.reason !== undefined) attributes["mity.reason"] = event.reason;
    if (attempt !== undefined) attributes["mity.attempt"] = attempt;
    const pool = event.pool ?? start.pool;
    const worker = event.worker ?? start.worker;
    if (pool !== undefined) attributes["mity.pool"] = pool;
    if (worker !== undefined) attributes["mity.worker"] = worker;
    this.#finished.push({
      traceId: this.context.traceId,
      spanId: open.spanId,
      parentSpanId: this.context.spanId,
      traceState: this.context.traceState,
      name: event.task,
      kind: "internal",
      startMs: this.#at(start.time),
      endMs: this.#at(event.time),
      attributes,
      error: result.failed ? event.reason ?? event.state : undefined,
    });
  }

  #summary(event: SummaryEvent): void {
    const result = runResult(event.state, this.#results);
    const attributes: Record<string, AttributeValue> = {
      "cicd.pipeline.name": this.options.pipeline,
      "cicd.pipeline.run.id": this.options.runId,
      "cicd.pipeline.action.name": "RUN",
      "cicd.pipeline.result": result.result,
      "mity.state": event.state,
    };
    if (result.errorType !== undefined) attributes["error.type"] = result.errorType;
    for (const [state, count] of Object.entries(event.counts)) attributes[`mity.count.${state}`] = count;
    const end = this.#at(event.duration);
    this.#finished.push({
      traceId: this.context.traceId,
      spanId: this.context.spanId,
      parentSpanId: this.#parentSpanId,
      traceState: this.context.traceState,
      name: `RUN ${this.options.pipeline}`,
      kind: "server",
      startMs: this.#at(0),
      endMs: end,
      attributes,
      error: result.failed ? `${event.counts.failed} task${event.counts.failed === 1 ? "" : "s"} failed` : undefined,
    });
  }
}
