import { createServer } from "node:net";
import t from "tap";
import { freePort } from "../helpers/ports.js";
import { awaitNoSurvivors, startMity, survivors, uniqueMarker } from "../helpers/live.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

const kinds = (stdout: string) => events(stdout).map((event) => `${event.event}${event.task ? ` ${event.task}` : ""}`);

t.test("ready by log: the dependent starts after the ready line, the service stops when it ends", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      db: { service: true, ready: { log: "accepting connections" }, run: "echo booting; sleep 0.5; echo 'database: accepting connections' >&2; exec sleep ${marker}" },
      migrate: { deps: ["db"], run: "echo migrating" },
    } };`,
  });
  const result = await runMity(["migrate", "--output", "json"], { cwd: dir });
  t.equal(result.code, 0, result.stderr);
  const order = kinds(result.stdout);
  t.ok(order.indexOf("ready db") < order.indexOf("start migrate"), `ready comes before the dependent starts: ${order.join(", ")}`);
  t.match(events(result.stdout).find((event) => event.event === "ready"), { task: "db", by: "log", detail: "database: accepting connections" });
  t.match(events(result.stdout).find((event) => event.event === "end" && event.task === "db"), { state: "ok" });
  t.same(await awaitNoSurvivors(marker), [], "the service is gone after the run");
});

t.test("ready by port: a dev server the tests wait for", async (t) => {
  const port = await freePort();
  const dir = tempTree(t, {
    "server.mjs": `import { createServer } from "node:http"; setTimeout(() => createServer((req, res) => res.end("hello")).listen(${port}, "127.0.0.1"), 400);`,
    "mityfile.ts": `export default { tasks: {
      web: { service: true, ready: { port: ${port}, timeout: "20s" }, run: "node server.mjs" },
      e2e: { deps: ["web"], run: "node -e \\"fetch('http://127.0.0.1:${port}').then(r => r.text()).then(t => console.log('got ' + t))\\"" },
    } };`,
  });
  const result = await runMity(["e2e"], { cwd: dir });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, `[web] ready (port 127.0.0.1:${port})`);
  t.match(result.stdout, /\[e2e\]\s+got hello/);
  // The port is free again: nothing listens after the run.
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(port, "127.0.0.1", resolve));
  probe.close();
});

t.test("a service is stopped once nothing that needs it runs, while other tasks go on", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      tunnel: { service: true, run: "echo open; exec sleep ${marker}" },
      use: { deps: ["tunnel"], run: "echo used" },
      other: { run: "sleep 3; echo other done" },
      all: { deps: ["use", "other"], concurrent: true },
    } };`,
  });
  const mity = startMity(["all"], dir);
  await mity.waitFor(/\[use\]\s+ok/);
  t.same(await awaitNoSurvivors(marker, 1500), [], "the tunnel is stopped when its only dependent ended");
  t.notMatch(mity.output(), /other done/, "another task still runs meanwhile");
  const { code } = await mity.exited;
  t.equal(code, 0);
});

t.test("a service that dies while needed fails the run, shows its output and stops its dependents", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      api: { service: true, ready: { log: "up" }, run: "echo up; sleep 0.5; echo 'panic: out of memory' >&2; exit 2" },
      suite: { deps: ["api"], run: "echo testing; sleep ${marker}" },
    } };`,
  });
  const result = await runMity(["suite", "--output", "json"], { cwd: dir });
  t.equal(result.code, 1);
  t.match(result.stderr, /service "api" stopped \(exit code 2\) while tasks that depend on it still ran; its last output:\nup\npanic: out of memory/);
  t.match(events(result.stdout).find((event) => event.event === "end" && event.task === "suite"), { state: "cancelled", reason: /stopped: service "api" stopped \(exit code 2\)/ });
  t.match(events(result.stdout).at(-1), { event: "summary", state: "failed" });
  t.same(await awaitNoSurvivors(marker), []);
});

t.test("not ready in time: the service fails with its output shown, dependents are skipped", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      slow: { service: true, ready: { log: "^ready$", timeout: "1s" }, run: "echo warming up; exec sleep ${marker}" },
      after: { deps: ["slow"], run: "echo never" },
    } };`,
  });
  const result = await runMity(["after"], { cwd: dir });
  t.equal(result.code, 1);
  t.match(result.stdout, /\[slow\]\s+failed: not ready after 1\.00s: no line of its output matched \/\^ready\$\//);
  t.match(result.stderr, /output of slow \(failed\)[^]*warming up/, result.stderr);
  t.notMatch(result.stdout, /never/);
  t.same(await awaitNoSurvivors(marker), []);
});

t.test("Ctrl-C with a service up: exit 130, nothing left running", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      db: { service: true, run: "exec sleep ${marker}1" },
      work: { deps: ["db"], run: "sleep ${marker}2" },
    } };`,
  });
  const mity = startMity(["work"], dir);
  await mity.waitFor(/\[work\] started/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(survivors(marker).length >= 2, true, "the service and its dependent run");
  mity.child.kill("SIGINT");
  t.equal((await mity.exited).code, 130);
  t.same(await awaitNoSurvivors(marker), []);
});

t.test("a service asked for by itself runs until it ends, saying when it is ready", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { dev: { service: true, ready: { log: "up" }, run: "echo up; sleep 0.5; echo bye" } } };` });
  const result = await runMity(["dev"], { cwd: dir });
  t.equal(result.code, 0, result.stdout);
  t.match(result.stdout, /\[dev\] ready \(log: up\)[^]*\[dev\] bye[^]*\[dev\] ok/);
});
