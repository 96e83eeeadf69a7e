import type { AttributeValue, SpanRecord } from "./spans.js";

/**
 * The OTLP/HTTP JSON body of `ExportTraceServiceRequest` (opentelemetry-proto, trace/v1): ids as hex,
 * 64-bit integers and times as decimal strings, enums as numbers, field names in lowerCamelCase.
 */
export function encodeSpans(spans: readonly SpanRecord[], resource: Readonly<Record<string, string>>, scope: { name: string; version: string }): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: keyValues(resource) },
        scopeSpans: [{ scope, spans: spans.map(encodeSpan) }],
      },
    ],
  });
}

/** Span.SpanKind: INTERNAL = 1, SERVER = 2. Status.StatusCode: ERROR = 2 (UNSET is the default, left out). */
const KIND = { internal: 1, server: 2 } as const;
const STATUS_ERROR = 2;

function encodeSpan(span: SpanRecord) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.traceState ? { traceState: span.traceState } : {}),
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: KIND[span.kind],
    startTimeUnixNano: unixNanos(span.startMs),
    endTimeUnixNano: unixNanos(Math.max(span.endMs, span.startMs)),
    attributes: keyValues(span.attributes),
    ...(span.error === undefined ? {} : { status: { code: STATUS_ERROR, message: span.error } }),
  };
}

function keyValues(attributes: Readonly<Record<string, AttributeValue>>) {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function anyValue(value: AttributeValue) {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  // int64 is a string in protobuf's JSON mapping: past 2^53 a number would lose digits.
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

/** Unix milliseconds (with a fraction) as a decimal string of nanoseconds: the number itself would not fit in a double. */
export function unixNanos(ms: number): string {
  const whole = Math.floor(ms);
  const nanos = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(nanos)).toString();
}
