import t from "tap";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protobuf from "protobufjs";
import { encodeSpans, unixNanos } from "../../lib/observe/otlp-json.js";
import { RunTrace } from "../../lib/observe/spans.js";

// The JSON mity sends is checked against opentelemetry-proto's own definitions (the .proto files an
// OpenTelemetry package ships): every field known, of the right type, and the whole convertible to the
// binary message a collector decodes.

const require = createRequire(import.meta.url);
const PROTOS = join(dirname(require.resolve("@opentelemetry/otlp-grpc-exporter-base/package.json")), "build", "protos");

function loadRequestType(): protobuf.Type {
  const root = new protobuf.Root();
  // The files import each other by their path below the protos folder.
  root.resolvePath = (_origin, target) => join(PROTOS, target);
  root.loadSync("opentelemetry/proto/collector/trace/v1/trace_service.proto");
  return root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
}

const INT64 = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const INT32 = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);
/** OTLP/JSON writes these bytes fields as hex, not base64 (the one exception to protobuf's JSON mapping), with their byte lengths. */
const HEX_IDS: Record<string, number> = { traceId: 16, spanId: 8, parentSpanId: 8 };

/** Everything in `value` that does not fit `type`, as paths and reasons. */
function misfits(value: unknown, type: protobuf.Type, path: string): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: not an object`];
  const problems: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const field = type.fields[key];
    if (!field) {
      problems.push(`${path}.${key}: no such field in ${type.fullName}`);
      continue;
    }
    field.resolve();
    if (field.repeated) {
      if (!Array.isArray(item)) problems.push(`${path}.${key}: not an array`);
      else item.forEach((element, index) => problems.push(...fieldMisfits(element, field, `${path}.${key}[${index}]`)));
    } else {
      problems.push(...fieldMisfits(item, field, `${path}.${key}`));
    }
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((name) => name in (value as object));
    if (set.length !== 1) problems.push(`${path}: ${set.length} fields of oneof ${oneof.name} set`);
  }
  return problems;
}

function fieldMisfits(value: unknown, field: protobuf.Field, path: string): string[] {
  if (field.resolvedType instanceof protobuf.Type) return misfits(value, field.resolvedType, path);
  if (field.resolvedType instanceof protobuf.Enum) {
    return Number.isInteger(value) && (value as number) in field.resolvedType.valuesById ? [] : [`${path}: ${JSON.stringify(value)} is not a number of enum ${field.resolvedType.name}`];
  }
  const fine =
    field.type === "string" ? typeof value === "string"
    : field.type === "bool" ? typeof value === "boolean"
    : field.type === "double" || field.type === "float" ? typeof value === "number"
    : INT32.has(field.type) ? Number.isInteger(value)
    : INT64.has(field.type) ? typeof value === "string" && /^\d+$/.test(value)
    : field.type === "bytes" ? typeof value === "string" && field.name in HEX_IDS && new RegExp(`^[0-9a-f]{${HEX_IDS[field.name]! * 2}}$`).test(value)
    : false;
  return fine ? [] : [`${path}: ${JSON.stringify(value)} does not fit ${field.type}`];
}

/** The JSON as protobufjs takes it: hex ids as bytes. */
function withBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withBytes);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key in HEX_IDS && typeof item === "string" ? Buffer.from(item, "hex") : withBytes(item)]));
}

/** A decoded message with its bytes fields as hex again. */
function asHex(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (Array.isArray(value)) return value.map(asHex);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asHex(item)]));
}

/** A run's spans, made from events as a real run makes them: a caller, a dep, a failure, an up-to-date task, a pooled attempt. */
function sampleTrace(): RunTrace {
  let now = 1_765_000_000_123.25;
  const trace = new RunTrace({
    parent: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", sampled: true, traceState: "vendor=abc" },
    pipeline: "deploy",
    runId: "2026-12-07T14-00-00-000Z-42",
    clock: () => now,
  });
  trace.sink({ event: "start", task: "plan", time: 3 });
  now += 500;
  trace.sink({ event: "end", task: "plan", state: "ok", duration: 497, exitCode: 0, time: 500 });
  trace.sink({ event: "end", task: "lint", state: "up-to-date", duration: 0, reason: "its inputs and outputs are unchanged", time: 501 });
  trace.sink({ event: "start", task: "apply", time: 502, pool: "bastion", worker: "bastion-1", attempt: 2 } as never);
  trace.sink({ event: "end", task: "apply", state: "failed", duration: 100, reason: "worker lost", time: 602 });
  trace.sink({ event: "summary", state: "failed", duration: 610, counts: { ok: 1, failed: 1, cancelled: 0, skipped: 0, "up-to-date": 1 } });
  return trace;
}

t.test("the JSON fits ExportTraceServiceRequest: known fields only, hex ids, times as strings of nanos, enums as numbers", async (t) => {
  const type = loadRequestType();
  const body = JSON.parse(encodeSpans(sampleTrace().spans, { "service.name": "mity", "deployment.environment": "lab" }, { name: "mity", version: "0.1.0" })) as unknown;
  t.strictSame(misfits(body, type, "request"), []);
  const spans = (body as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] }).resourceSpans[0]!.scopeSpans[0]!.spans;
  t.strictSame(spans.map((span) => span.name), ["plan", "lint", "apply", "RUN deploy"]);
});

t.test("the checker itself finds an unknown field, a base64 id, a number for a time and a name for an enum", async (t) => {
  const type = loadRequestType();
  const bad = {
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "S/kvNXezTaajzpKdDg5HNg==", spanId: "00f067aa0ba902b7", name: "x", kind: "SPAN_KIND_SERVER", startTimeUnixNano: 1765000000123000000, colour: "red" }] }] }],
  };
  const found = misfits(bad, type, "request");
  t.equal(found.length, 4, found.join("\n"));
  t.match(found.join("\n"), /traceId.*does not fit bytes[\s\S]*kind.*not a number of enum[\s\S]*startTimeUnixNano.*does not fit fixed64[\s\S]*colour: no such field/);
});

t.test("the request converts to the binary message a collector decodes, and back unchanged", async (t) => {
  const type = loadRequestType();
  const body = JSON.parse(encodeSpans(sampleTrace().spans, { "service.name": "mity" }, { name: "mity", version: "0.1.0" })) as Record<string, unknown>;
  const message = type.fromObject(withBytes(body) as Record<string, unknown>);
  t.equal(type.verify(message), null, "protobufjs finds the message valid");
  const decoded = asHex(type.toObject(type.decode(type.encode(message).finish()), { longs: String, enums: Number })) as {
    resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
  };
  const spans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
  const apply = spans.find((span) => span.name === "apply")!;
  t.match(apply, { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", parentSpanId: /^[0-9a-f]{16}$/, kind: 1, traceState: "vendor=abc", status: { code: 2, message: "worker lost" } });
  const run = spans.find((span) => span.name === "RUN deploy")!;
  // The first event (time 3) fixed the run's time 0 three milliseconds before the clock's reading.
  t.match(run, { parentSpanId: "00f067aa0ba902b7", kind: 2, startTimeUnixNano: "1765000000120250000" });
  t.equal(apply.parentSpanId, run.spanId, "a task's parent is the run");
});

t.test("times are exact nanoseconds past 2^53", async (t) => {
  t.equal(unixNanos(1_765_000_000_123.25), "1765000000123250000");
  t.equal(unixNanos(1_765_000_000_123), "1765000000123000000");
  t.equal(unixNanos(0.000001), "1");
});
