import { createServer, type Server } from "node:net";
import t from "tap";
import { freePort } from "../helpers/ports.js";
import type { ServiceNode, TaskNode } from "../../lib/graph/graph.js";
import type { MityEvent } from "../../lib/run/events.js";
import { taskEnvironments } from "../../lib/run/environment.js";
import { Services } from "../../lib/run/service.js";
import { TaskStop } from "../../lib/run/stop.js";
import type { WorkContext } from "../../lib/run/work.js";
import { awaitNoSurvivors, survivors, uniqueMarker } from "../helpers/live.js";
import { tempTree } from "../helpers/mity.js";
import { taskNode } from "../helpers/task-node.js";

/** A run's shared context, its events collected. */
function contextIn(root: string, events: MityEvent[]): WorkContext {
  return {
    seenDirectories: new Set(), onKill: () => () => {}, graceMs: 500, params: undefined, environment: taskEnvironments(process.env, root),
    args: [], staged: [], emit: (event) => events.push(event), now: () => Math.round(performance.now()), onGroup: () => {},
  };
}

const service = (cwd: string, name: string, run: string, ready: ServiceNode["ready"], timeout = 10_000): TaskNode =>
  taskNode(cwd, { name, run: [run], service: { ready, timeout } });

t.test("ready by log: ok once a line of stdout or stderr matches, while the process runs on; stopped when its dependent ends", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {});
  const events: MityEvent[] = [];
  const db = service(dir, "db", `echo starting; sleep 0.3; echo "listening on 5432" >&2; exec sleep ${marker}`, { log: /listening on \d+/ });
  const services = new Services([db, taskNode(dir, { name: "migrate", deps: ["db"] })], (message) => t.fail(message));
  const outcome = await services.run(db, contextIn(dir, events), new TaskStop());
  t.equal(outcome.state, "ok");
  t.match(events.find((event) => event.event === "ready"), { event: "ready", task: "db", by: "log", detail: "listening on 5432" });
  t.ok(survivors(marker).length > 0, "the service runs on after it is ready");
  services.observe({ event: "end", task: "migrate", state: "ok", duration: 1, time: 1 });
  t.same(await awaitNoSurvivors(marker), [], "stopped once the dependent ended");
});

t.test("ready by port: ok once the port takes a connection", async (t) => {
  const port = await freePort();
  const dir = tempTree(t, {
    "server.mjs": `import { createServer } from "node:net"; setTimeout(() => createServer(() => {}).listen(${port}, "127.0.0.1"), 300);`,
  });
  const events: MityEvent[] = [];
  const web = service(dir, "web", "node server.mjs", { port, host: "127.0.0.1" });
  const services = new Services([web, taskNode(dir, { name: "e2e", deps: ["web"] })], (message) => t.fail(message));
  const outcome = await services.run(web, contextIn(dir, events), new TaskStop());
  t.equal(outcome.state, "ok");
  t.match(events.find((event) => event.event === "ready"), { by: "port", detail: `127.0.0.1:${port}` });
  await services.stopAll();
  const probe: Server = createServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(port, "127.0.0.1", resolve));
  probe.close();
  t.pass("the port is free again: the server was stopped");
});

t.test("not ready in time: the task fails, says what it waited for, and its process is stopped", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {});
  const slow = service(dir, "slow", `echo booting; exec sleep ${marker}`, { log: /never/ }, 500);
  const services = new Services([slow, taskNode(dir, { name: "after", deps: ["slow"] })], (message) => t.fail(message));
  const outcome = await services.run(slow, contextIn(dir, []), new TaskStop());
  t.equal(outcome.state, "failed");
  t.match(outcome.reason, /not ready after 500ms: no line of its output matched \/never\//);
  t.same(await awaitNoSurvivors(marker), []);
});

t.test("a service that exits before it is ready fails with its own exit", async (t) => {
  const dir = tempTree(t, {});
  const broken = service(dir, "broken", "echo no config >&2; exit 3", { log: /ready/ });
  const services = new Services([broken, taskNode(dir, { name: "after", deps: ["broken"] })], () => {});
  const outcome = await services.run(broken, contextIn(dir, []), new TaskStop());
  t.match(outcome, { state: "failed", exitCode: 3 });
});

t.test("a service that dies while a dependent still runs is told, with its last output", async (t) => {
  const dir = tempTree(t, {});
  const flaky = service(dir, "flaky", "echo up; sleep 0.3; echo crashed >&2; exit 7", { log: /up/ });
  let died = "";
  const services = new Services([flaky, taskNode(dir, { name: "user", deps: ["flaky"] })], (message) => (died = message));
  t.equal((await services.run(flaky, contextIn(dir, []), new TaskStop())).state, "ok");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  t.match(died, /service "flaky" stopped \(exit code 7\) while tasks that depend on it still ran; its last output:\nup\ncrashed/);
});
