import t from "tap";
import { exits } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";
import { attributesOf, closedPort, startCollector, type OtlpSpan } from "../helpers/otlp.js";

// Each subtest has its own temp directory, collector and mity: they can run side by side.
t.jobs = 3;

// Every task prints the trace context it was given.
const show = 'echo "ctx ${TRACEPARENT:-none} ${TRACESTATE:-none}"';
const mityfile = `export default { tasks: {
  setup: { run: ${JSON.stringify(show)} },
  build: { deps: ["setup"], run: ${JSON.stringify(show)} },
  check: { deps: ["setup"], run: ${JSON.stringify(`${show}; exit 3`)} },
  slow: { timeout: "300ms", run: "sleep 5" },
  made: { inputs: ["mityfile.ts"], outputs: ["made.txt"], run: "touch made.txt" },
  fn: { run: (ctx) => ctx.log("fn " + ctx.env.TRACEPARENT) },
  pinned: { env: { TRACEPARENT: "00-11111111111111111111111111111111-2222222222222222-01" }, run: ${JSON.stringify(show)} },
  all: { deps: ["build", "check"] },
} };
`;

/** The trace context each task printed, by task. */
function printed(stdout: string): Map<string, { traceparent: string; tracestate: string }> {
  const found = new Map<string, { traceparent: string; tracestate: string }>();
  for (const event of events(stdout)) {
    const match = event.event === "output" ? /^ctx (\S+) (\S+)$/.exec(String(event.line)) : null;
    if (match) found.set(String(event.task), { traceparent: match[1]!, tracestate: match[2]! });
  }
  return found;
}

const byName = (spans: OtlpSpan[]) => new Map(spans.map((span) => [span.name, span]));

t.test("a run is one span with a child span per task, named and attributed by the CI/CD conventions", async (t) => {
  const collector = await startCollector(t);
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "-k", "all"], {
    cwd: dir,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=general,x-team=infra",
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-api-key=s3cr%3Dt",
      OTEL_SERVICE_NAME: "homelab",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=lab,service.name=ignored",
    },
  });
  exits(t, result, 1);
  t.equal(result.stderr.includes("warning"), false, "no warning when the collector takes the trace");
  t.equal(collector.received.length, 1, "one request at the end of the run");
  const [request] = collector.received;
  t.equal(request!.url, "/v1/traces", "the signal's path is added to the generic endpoint");
  t.match(request!.headers, { "x-api-key": "s3cr=t", "x-team": "infra", "content-type": "application/json" }, "the traces' own headers win, values percent-decoded");
  t.strictSame(attributesOf(request!.body.resourceSpans[0]!.resource), { "service.name": "homelab", "deployment.environment": "lab" });

  const spans = byName(collector.spans());
  t.strictSame([...spans.keys()].sort(), ["RUN all", "build", "check", "setup"].sort(), "all is skipped after check failed: it never started");
  const run = spans.get("RUN all")!;
  t.equal(run.parentSpanId, undefined, "the run is a root span when nobody called it");
  t.equal(run.kind, 2, "the run's span is a SERVER span");
  t.match(attributesOf(run), { "cicd.pipeline.name": "all", "cicd.pipeline.action.name": "RUN", "cicd.pipeline.result": "failure", "error.type": "3", "mity.state": "failed" });
  t.equal(run.status?.code, 2, "a failed run's status is an error");
  for (const name of ["setup", "build", "check"]) {
    const span = spans.get(name)!;
    t.equal(span.traceId, run.traceId, `${name} is in the run's trace`);
    t.equal(span.parentSpanId, run.spanId, `${name} is a child of the run`);
    t.equal(span.kind, 1, `${name} is an INTERNAL span`);
    t.ok(BigInt(span.startTimeUnixNano) >= BigInt(run.startTimeUnixNano) && BigInt(span.endTimeUnixNano) <= BigInt(run.endTimeUnixNano), `${name} lies within the run`);
    t.equal(attributesOf(span)["cicd.pipeline.run.id"], attributesOf(run)["cicd.pipeline.run.id"]);
  }
  t.ok(BigInt(spans.get("build")!.startTimeUnixNano) >= BigInt(spans.get("setup")!.endTimeUnixNano), "a task starts after its dep ended");
  t.match(attributesOf(spans.get("build")!), { "cicd.pipeline.task.name": "build", "cicd.pipeline.task.run.result": "success", "mity.state": "ok", "mity.exit_code": 0 });
  t.notOk("error.type" in attributesOf(spans.get("build")!), "a success has no error type");
  t.match(attributesOf(spans.get("check")!), { "cicd.pipeline.task.run.result": "failure", "error.type": "3", "mity.exit_code": 3, "mity.state": "failed" });
  t.match(spans.get("check")!.status, { code: 2, message: /exit code 3/ });
});

t.test("each task's TRACEPARENT names its own span, whatever its env says; a function task's ctx.env has it too", async (t) => {
  const collector = await startCollector(t);
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "-p", "build", "fn", "pinned"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.endpoint}/custom/path` } });
  exits(t, result, 0);
  t.equal(collector.received[0]?.url, "/custom/path", "the traces endpoint is used as it is");
  const spans = byName(collector.spans());
  const contexts = printed(result.stdout);
  for (const name of ["setup", "build", "pinned"]) {
    const span = spans.get(name)!;
    t.equal(contexts.get(name)?.traceparent, `00-${span.traceId}-${span.spanId}-01`, `${name} got its own span as its parent (a task's env does not override it)`);
    t.equal(contexts.get(name)?.tracestate, "none", "no TRACESTATE when none came in");
  }
  const fnLine = events(result.stdout).find((event) => event.event === "output" && event.task === "fn")?.line;
  t.equal(fnLine, `fn 00-${spans.get("fn")!.traceId}-${spans.get("fn")!.spanId}-01`);
});

t.test("an incoming TRACEPARENT makes the run a child of the caller's span, and TRACESTATE is passed on", async (t) => {
  const collector = await startCollector(t);
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const result = await runMity(["--output", "json", "build"], {
    cwd: dir,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.endpoint}/`, TRACEPARENT: `00-${traceId}-00f067aa0ba902b7-01`, TRACESTATE: "vendor=abc" },
  });
  exits(t, result, 0);
  const spans = byName(collector.spans());
  const run = spans.get("RUN build")!;
  t.equal(run.traceId, traceId, "the caller's trace goes on");
  t.equal(run.parentSpanId, "00f067aa0ba902b7", "the run nests in the caller's span");
  t.equal(run.traceState, "vendor=abc");
  const build = spans.get("build")!;
  t.strictSame(printed(result.stdout).get("build"), { traceparent: `00-${traceId}-${build.spanId}-01`, tracestate: "vendor=abc" });
});

t.test("an unsampled caller: the context reaches the tasks, nothing is exported", async (t) => {
  const collector = await startCollector(t);
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const result = await runMity(["--output", "json", "setup"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, TRACEPARENT: `00-${traceId}-00f067aa0ba902b7-00` } });
  exits(t, result, 0);
  t.match(printed(result.stdout).get("setup")?.traceparent, new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  t.equal(collector.received.length, 0);
});

t.test("tracing off (no endpoint, OTEL_TRACES_EXPORTER=none, OTEL_SDK_DISABLED): no TRACEPARENT added, an incoming one passed on unchanged", async (t) => {
  const collector = await startCollector(t);
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const none = await runMity(["--output", "json", "setup"], { cwd: dir, env: { TRACEPARENT: undefined, OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined } });
  t.equal(printed(none.stdout).get("setup")?.traceparent, "none");
  for (const off of [{ OTEL_TRACES_EXPORTER: "none" }, { OTEL_SDK_DISABLED: "true" }]) {
    const result = await runMity(["--output", "json", "setup"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, ...off } });
    exits(t, result, 0);
    t.equal(printed(result.stdout).get("setup")?.traceparent, "none", `${Object.keys(off)[0]}: no TRACEPARENT`);
  }
  const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const passed = await runMity(["--output", "json", "setup"], { cwd: dir, env: { TRACEPARENT: incoming, OTEL_EXPORTER_OTLP_ENDPOINT: undefined } });
  t.equal(printed(passed.stdout).get("setup")?.traceparent, incoming, "the caller's context reaches the task untouched");
  t.equal(collector.received.length, 0, "nothing was sent");
});

t.test("a timeout is the conventions' timeout; up-to-date is a skip", async (t) => {
  const collector = await startCollector(t);
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "slow"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint } });
  exits(t, result, 1);
  const spans = byName(collector.spans());
  t.match(attributesOf(spans.get("slow")!), { "cicd.pipeline.task.run.result": "timeout", "error.type": "timeout" });
  t.match(attributesOf(spans.get("RUN slow")!), { "cicd.pipeline.result": "failure", "error.type": "timeout" });
  exits(t, await runMity(["--output", "json", "made"], { cwd: dir }), 0, "the first run makes it");
  exits(t, await runMity(["--output", "json", "made"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint } }), 0);
  const made = collector.spans().find((span) => span.name === "made")!;
  t.match(attributesOf(made), { "cicd.pipeline.task.run.result": "skip", "mity.state": "up-to-date", "mity.up_to_date": true });
  t.equal(made.startTimeUnixNano, made.endTimeUnixNano, "it did no work: a span of no length");
});

t.test("an unreachable collector is one warning: same exit code, the output untouched", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const port = await closedPort();
  const plain = await runMity(["--output", "json", "-k", "all"], { cwd: dir });
  const result = await runMity(["--output", "json", "-k", "all"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` } });
  t.equal(result.code, plain.code, "the exit code is the run's own");
  const warnings = result.stderr.split("\n").filter((line) => line.includes("warning"));
  t.equal(warnings.length, 1, "one warning");
  t.match(warnings[0], `mity: warning: the run's trace was not sent to http://127.0.0.1:${port}/v1/traces: ECONNREFUSED`);
  t.strictSame(events(result.stdout).map((event) => event.event), events(plain.stdout).map((event) => event.event), "stdout has the same events");
});

t.test("a collector that never answers is given up after 2 s at most, with one warning", async (t) => {
  const collector = await startCollector(t, { silent: true });
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const started = performance.now();
  // Asked for a minute, mity waits 2 s: a run that honoured the minute would take far longer than the bound below.
  const result = await runMity(["--output", "json", "setup"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_EXPORTER_OTLP_TIMEOUT: "60000" }, timeoutMs: 90_000 });
  const elapsed = performance.now() - started;
  exits(t, result, 0);
  t.equal(collector.received.length, 1, "the request reached the collector");
  const warnings = result.stderr.split("\n").filter((line) => line.includes("warning"));
  t.strictSame(warnings, [`mity: warning: the run's trace was not sent to ${collector.endpoint}/v1/traces: no answer within 2000 ms`]);
  t.ok(elapsed < 40_000, `the run did not wait for the minute it was allowed (${Math.round(elapsed)} ms)`);
  const shorter = await runMity(["--output", "json", "setup"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_EXPORTER_OTLP_TIMEOUT: "300" } });
  t.match(shorter.stderr, "no answer within 300 ms", "a shorter timeout is honoured");
});

t.test("a collector that refuses the request (401) is one warning naming its answer, never the API key", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { createServer } = await import("node:http");
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.statusCode = 401;
      response.end("missing or bad api key");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => server.close());
  const { port } = server.address() as { port: number };
  const result = await runMity(["--output", "json", "setup"], { cwd: dir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://user:pw@127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=topsecret" } });
  exits(t, result, 0);
  t.match(result.stderr, `the run's trace was not sent to http://127.0.0.1:${port}/v1/traces: the collector answered 401 (missing or bad api key)`);
  t.notMatch(result.stderr, /topsecret|pw@/);
});
