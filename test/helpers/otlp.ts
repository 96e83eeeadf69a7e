import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Teardown } from "./mity.js";

/** One OTLP/HTTP request as the collector got it. */
export interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: ExportRequest;
}

/** The parts of an OTLP JSON `ExportTraceServiceRequest` the tests read. */
export interface ExportRequest {
  resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { scope: { name: string; version?: string }; spans: OtlpSpan[] }[] }[];
}

export interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status?: { code: number; message?: string };
}

export interface Collector {
  /** `http://127.0.0.1:<port>`: the base of OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  received: Received[];
  /** Every span of every request. */
  spans(): OtlpSpan[];
}

/**
 * A loopback OTLP/HTTP collector on a free port, stopped when the test ends. `silent` accepts
 * connections and never answers: a collector that hangs.
 */
export async function startCollector(t: Teardown, options: { silent?: boolean } = {}): Promise<Collector> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ url: request.url ?? "", headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as ExportRequest });
      if (options.silent) return;
      response.setHeader("content-type", "application/json");
      response.end("{}");
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    spans: () => received.flatMap((request) => request.body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans))),
  };
}

/** A loopback port that nothing listens on: it was free a moment ago and is closed again. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A span's attributes as a plain object. */
export function attributesOf(span: { attributes: KeyValue[] }): Record<string, string | number | boolean | undefined> {
  const found: Record<string, string | number | boolean | undefined> = {};
  for (const { key, value } of span.attributes) found[key] = value.stringValue ?? (value.intValue === undefined ? undefined : Number(value.intValue)) ?? value.boolValue ?? value.doubleValue;
  return found;
}
