import { randomBytes } from "node:crypto";

/** A W3C trace-context position: the trace, the span a child nests under, and the sampled flag. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
  /** Vendors' own state, passed on untouched. */
  traceState?: string | undefined;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** Reads a `TRACEPARENT` value; undefined when it is not one (the run then starts a trace of its own). */
export function parseTraceparent(value: string | undefined, traceState?: string): TraceContext | undefined {
  const match = TRACEPARENT.exec(value?.trim().toLowerCase() ?? "");
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  // Version ff is forbidden, and all-zero ids mean "none" (W3C trace-context, section 3.2).
  if (version === "ff" || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  // A later version may add fields after ours; version 00 must have none.
  if (version === "00" && value!.trim().length !== 55) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1, traceState: traceState?.trim() || undefined };
}

/** The `TRACEPARENT` value of a span. */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? "01" : "00"}`;
}

/** A new random id of `bytes` bytes, in lower-case hex, never all zero. */
export function randomId(bytes: 8 | 16): string {
  for (;;) {
    const id = randomBytes(bytes).toString("hex");
    if (!/^0+$/.test(id)) return id;
  }
}
