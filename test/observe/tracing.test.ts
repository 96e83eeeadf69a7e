import t from "tap";
import { startTracing } from "../../lib/observe/tracing.js";
import { startCollector } from "../helpers/otlp.js";

const COUNTS = { ok: 0, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0 };

t.test("a long run's spans go in requests of at most 1000 spans", async (t) => {
  const collector = await startCollector(t);
  const warnings: string[] = [];
  const tracing = startTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint }, runId: "r", names: ["all"], version: "0.1.0", clock: () => 1_000, warn: (line) => warnings.push(line) });
  for (let i = 0; i < 2500; i++) {
    tracing.sink({ event: "start", task: `t${i}`, time: i });
    tracing.sink({ event: "end", task: `t${i}`, state: "ok", duration: 1, time: i + 1 });
  }
  tracing.sink({ event: "summary", state: "ok", duration: 2501, counts: { ...COUNTS, ok: 2500 } });
  await tracing.finish();
  t.strictSame(warnings, []);
  // The requests go out at the same time: they may arrive in any order.
  const sizes = collector.received.map((request) => request.body.resourceSpans[0]!.scopeSpans[0]!.spans.length);
  t.strictSame(sizes.sort((a, b) => b - a), [1000, 1000, 501]);
  t.equal(new Set(collector.spans().map((span) => span.spanId)).size, 2501, "every span once");
});

t.test("nothing to send, nothing sent: a run that threw before its first event", async (t) => {
  const collector = await startCollector(t);
  const tracing = startTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint }, runId: "r", names: ["all"], version: "0.1.0", clock: () => 1_000, warn: () => t.fail("no warning") });
  await tracing.finish();
  t.equal(collector.received.length, 0);
});

t.test("a warning for the variables mity cannot honour comes at the start", async (t) => {
  const warnings: string[] = [];
  startTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, runId: "r", names: ["a"], version: "0", clock: () => 0, warn: (line) => warnings.push(line) });
  t.match(warnings, [/grpc/]);
});
