import t from "tap";
import { startObservers } from "../../lib/cli/observers.js";
import type { CliIO } from "../../lib/cli/io.js";

const io = (env: Record<string, string>): CliIO => ({ argv: [], cwd: "/tmp", env, stdout: { write: () => true }, stderr: { write: () => true }, version: "0.0.0" });
const job = { graph: { tasks: new Map() } as never, names: ["all"], concurrency: 2, runId: "r", cwd: "/tmp" };

t.test("a plain run has no observers: nothing of them is loaded or called", async (t) => {
  t.equal(await startObservers({ ...job, profile: undefined, io: io({}) }), undefined);
  t.equal(await startObservers({ ...job, profile: undefined, io: io({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_SDK_DISABLED: "true" }) }), undefined);
});

t.test("--profile alone adds no TRACEPARENT to the tasks", async (t) => {
  const observers = await startObservers({ ...job, profile: "run.json", io: io({}) });
  t.type(observers?.sink, "function");
  t.equal(observers?.taskEnv, undefined);
});

t.test("an endpoint gives each task its trace context", async (t) => {
  const observers = await startObservers({ ...job, profile: undefined, io: io({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1" }) });
  observers!.sink({ event: "start", task: "a", time: 0 });
  t.match(observers!.taskEnv!("a"), { TRACEPARENT: /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/ });
});
