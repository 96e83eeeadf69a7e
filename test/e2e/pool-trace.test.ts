import t from "tap";
import { events, runMity } from "../helpers/mity.js";
import { startCollector, type OtlpSpan } from "../helpers/otlp.js";
import { checkout, startWorker } from "../helpers/pool.js";
import { startRedis } from "../helpers/redis.js";

// A pooled task's spans are made on the worker, nested under the coordinator's span of the task.

t.setTimeout(180_000);

const mityfile = `export default ${JSON.stringify({ tasks: { apply: { pool: "bastion", run: "echo traced $TRACEPARENT" } } })};\n`;

/** Waits for the collector to hold spans that `enough` accepts: the worker's job sends its own at its end. */
async function spansWhen(spans: () => OtlpSpan[], enough: (spans: OtlpSpan[]) => boolean): Promise<OtlpSpan[]> {
  const deadline = Date.now() + 10_000;
  while (!enough(spans()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return spans();
}

t.test("a pooled task's spans on the worker nest under the coordinator's span of the task", async (t) => {
  const redis = await startRedis(t);
  const collector = await startCollector(t);
  const env = { MITY_REDIS_URL: redis.url, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint };
  const coordinator = checkout(t, { "mityfile.ts": mityfile });
  const bastion = checkout(t, { "mityfile.ts": mityfile });
  await startWorker(t, bastion, ["bastion"], env);
  const run = await runMity(["apply", "--output", "json"], { cwd: coordinator, env, timeoutMs: 60_000 });
  t.equal(run.code, 0, run.stderr);
  const taskSpans = (all: OtlpSpan[]) => all.filter((span) => span.name === "apply");
  const spans = await spansWhen(() => collector.spans(), (all) => taskSpans(all).length >= 2);
  const applies = taskSpans(spans);
  t.equal(applies.length, 2, "a span of the task on each side");
  const runs = spans.filter((span) => span.name.startsWith("RUN "));
  const coordinatorRun = runs.find((span) => span.parentSpanId === undefined || span.parentSpanId === "");
  t.ok(coordinatorRun, "the coordinator's run is the root");
  const coordinatorTask = applies.find((span) => span.parentSpanId === coordinatorRun?.spanId)!;
  t.ok(coordinatorTask, "the coordinator's span of the task is a child of its run");
  const workerRun = runs.find((span) => span.parentSpanId === coordinatorTask.spanId);
  t.ok(workerRun, "the worker's run of the job is a child of the coordinator's span of the task");
  const workerTask = applies.find((span) => span !== coordinatorTask)!;
  t.equal(workerTask.parentSpanId, workerRun?.spanId, "and the task's span on the worker is a child of that run");
  t.ok(spans.every((span) => span.traceId === coordinatorRun?.traceId), "one trace");
  const line = events(run.stdout).find((event) => event.event === "output" && String(event.line).startsWith("traced "));
  t.equal(String(line?.line).split("-")[2], workerTask.spanId, "the remote command's TRACEPARENT names the worker's span of the task");
});
