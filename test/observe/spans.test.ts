import t from "tap";
import type { MityEvent } from "../../lib/run/events.js";
import { RunTrace } from "../../lib/observe/spans.js";

const COUNTS = { ok: 0, failed: 0, cancelled: 0, skipped: 0, "up-to-date": 0 };

function traceOf(events: MityEvent[], parent?: ConstructorParameters<typeof RunTrace>[0]["parent"]): RunTrace {
  const trace = new RunTrace({ parent, pipeline: "all", runId: "run-1", clock: () => 1_000_000 });
  for (const event of events) trace.sink(event);
  return trace;
}

t.test("a task's environment names the span of its running attempt; each attempt is a span of its own", async (t) => {
  const trace = new RunTrace({ pipeline: "deploy", runId: "run-1", clock: () => 1_000_000 });
  trace.sink({ event: "start", task: "apply", time: 0, attempt: 1 } as MityEvent);
  const first = trace.taskEnv("apply").TRACEPARENT!;
  trace.sink({ event: "start", task: "apply", time: 40, attempt: 2 } as MityEvent);
  const second = trace.taskEnv("apply").TRACEPARENT!;
  trace.sink({ event: "end", task: "apply", state: "ok", duration: 10, time: 50 });
  const spans = trace.spans.filter((span) => span.name === "apply");
  t.equal(spans.length, 2);
  t.equal(first, `00-${trace.context.traceId}-${spans[0]!.spanId}-01`);
  t.equal(second, `00-${trace.context.traceId}-${spans[1]!.spanId}-01`);
  t.match(spans.map((span) => [span.attributes["mity.attempt"], span.attributes["cicd.pipeline.task.run.id"], span.attributes["mity.reason"]]), [
    [1, "run-1/apply/1", "retried"],
    [2, "run-1/apply/2", undefined],
  ]);
  t.equal(spans[0]!.endMs, spans[1]!.startMs, "the first attempt ends where the second starts");
});

t.test("skipped tasks have no span, up-to-date ones a span of no length; times count from the first event", async (t) => {
  const trace = traceOf([
    { event: "start", task: "a", time: 5 },
    { event: "end", task: "a", state: "failed", duration: 5, exitCode: 1, reason: "exit code 1 from: false", time: 10 },
    { event: "end", task: "b", state: "skipped", duration: 0, reason: 'dep "a" failed', time: 10 },
    { event: "end", task: "c", state: "up-to-date", duration: 0, time: 11 },
    { event: "summary", state: "failed", duration: 12, counts: { ...COUNTS, failed: 1, skipped: 1, "up-to-date": 1 } },
  ]);
  t.strictSame(trace.spans.map((span) => span.name), ["a", "c", "RUN all"]);
  const [a, c, run] = trace.spans;
  t.strictSame([a!.startMs, a!.endMs, c!.startMs, c!.endMs, run!.startMs, run!.endMs], [1_000_000, 1_000_005, 1_000_006, 1_000_006, 999_995, 1_000_007]);
  t.equal(a!.error, "exit code 1 from: false");
  t.match(run!.attributes, { "mity.count.failed": 1, "mity.count.up-to-date": 1, "cicd.pipeline.result": "failure" });
  t.equal(run!.parentSpanId, undefined);
});

t.test("a caller's context: same trace, the run under the caller's span, its state passed on", async (t) => {
  const parent = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", sampled: true, traceState: "v=1" };
  const trace = traceOf([{ event: "summary", state: "ok", duration: 1, counts: COUNTS }], parent);
  t.match(trace.spans[0], { traceId: parent.traceId, parentSpanId: parent.spanId, traceState: "v=1" });
  t.not(trace.context.spanId, parent.spanId, "the run has a span of its own");
  t.match(trace.taskEnv("x"), { TRACEPARENT: `00-${parent.traceId}-${trace.context.spanId}-01`, TRACESTATE: "v=1" });
});
