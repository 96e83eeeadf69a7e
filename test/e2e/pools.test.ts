import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { awaitNoSurvivors, startMity, uniqueMarker } from "../helpers/live.js";
import { events, runMity } from "../helpers/mity.js";
import { checkout, interruptRemote, startWorker } from "../helpers/pool.js";
import { startRedis } from "../helpers/redis.js";

// Pools against the real things: a redis-server, and mity workers in copies of the project of their own.
// Each job starts a mity of its own on the worker: 200 of them take a minute or more on two cores.
t.setTimeout(600_000);

/** A mityfile of plain data. */
const mityfile = (tasks: Record<string, unknown>) => `export default ${JSON.stringify({ tasks }, null, 2)};\n`;

const ends = (stdout: string) => events(stdout).filter((event) => event.event === "end");
const endOf = (stdout: string, task: string) => ends(stdout).find((event) => event.task === task);
const linesOf = (stdout: string, task: string) =>
  events(stdout)
    .filter((event) => event.event === "output" && event.task === task && !String(event.line).startsWith("mity: "))
    .map((event) => event.line);

t.test("a graph across two pools and this machine: order, output, states and exit code", async (t) => {
  const redis = await startRedis(t);
  const env = { MITY_REDIS_URL: redis.url };
  const files = {
    "mityfile.ts": mityfile({
      plan: { run: "echo planned > plan.out; echo planning" },
      apply: { deps: ["plan"], pool: "bastion", run: ["echo applying in $(basename $PWD)", "echo careful >&2", "echo applied"] },
      check: { deps: ["plan"], pool: "builders", run: "echo checking; echo $MITY_PARAM_LEVEL", params: { level: { type: "string", default: "deep" } } },
      broken: { deps: ["apply"], pool: "builders", run: "echo breaking; exit 3" },
      all: { deps: ["apply", "check", "broken"] },
    }),
  };
  const coordinator = checkout(t, files);
  const bastion = checkout(t, files);
  const builders = checkout(t, files);
  await startWorker(t, bastion, ["bastion"], env);
  await startWorker(t, builders, ["builders"], env);
  const run = await runMity(["all", "--output", "json", "-k"], { cwd: coordinator, env, timeoutMs: 60_000 });
  t.equal(run.code, 1, run.stderr);
  t.same(
    ends(run.stdout).map((event) => [event.task, event.state]).sort(),
    [["all", "skipped"], ["apply", "ok"], ["broken", "failed"], ["check", "ok"], ["plan", "ok"]],
  );
  t.equal(readFileSync(join(coordinator, "plan.out"), "utf8"), "planned\n", "the local task ran here");
  t.notOk(existsSync(join(bastion, "plan.out")), "and not on a worker");
  t.same(linesOf(run.stdout, "apply"), [`applying in ${bastion.split("/").pop()}`, "careful", "applied"], "a worker's output, in order, from its own checkout");
  t.same(linesOf(run.stdout, "check"), ["checking", "deep"]);
  const apply = endOf(run.stdout, "apply")!;
  t.equal(apply.pool, "bastion");
  t.match(apply.worker, /^\d+@/);
  t.match(endOf(run.stdout, "broken"), { state: "failed", exitCode: 3, pool: "builders", reason: /exit code 3/ });
  const start = events(run.stdout).find((event) => event.event === "start" && event.task === "apply")!;
  t.equal(start.pool, "bastion");
  const planEnd = events(run.stdout).findIndex((event) => event.event === "end" && event.task === "plan");
  const applyStart = events(run.stdout).findIndex((event) => event.event === "start" && event.task === "apply");
  t.ok(planEnd < applyStart, "a pooled task starts after its deps, as any task");
  // The same in prefix mode: remote lines are shown like local ones, with where they ran.
  const prefix = await runMity(["apply", "--output", "prefix"], { cwd: coordinator, env, timeoutMs: 60_000 });
  t.equal(prefix.code, 0, prefix.stderr);
  t.match(prefix.stdout + prefix.stderr, /\[apply\] +mity: running on \d+@\S+ \(pool "bastion"\)/);
  t.match(prefix.stdout, /\[apply\] +applied/);
});

t.test("a worker refuses a task whose definition differs, naming both fingerprints", async (t) => {
  const redis = await startRedis(t);
  const env = { MITY_REDIS_URL: redis.url };
  const coordinator = checkout(t, { "mityfile.ts": mityfile({ apply: { pool: "bastion", run: "echo version one" } }) });
  const worker = checkout(t, { "mityfile.ts": mityfile({ apply: { pool: "bastion", run: "echo version two" } }) });
  await startWorker(t, worker, ["bastion"], env);
  const run = await runMity(["apply", "--output", "json"], { cwd: coordinator, env, timeoutMs: 60_000 });
  t.equal(run.code, 1);
  const end = endOf(run.stdout, "apply")!;
  t.match(end.reason, /refused it: its definition here differs from the coordinator's \(coordinator's fingerprint [0-9a-f]{16}, worker's [0-9a-f]{16}\)/);
  t.notMatch(run.stdout, /version two/, "nothing ran");
});

t.test("a task whose pool has no worker fails after --pool-wait, saying so", async (t) => {
  const redis = await startRedis(t);
  const dir = checkout(t, { "mityfile.ts": mityfile({ apply: { pool: "bastion", run: "echo hi" }, local: { run: "echo here" } }) });
  const run = await runMity(["apply", "local", "--pool-wait", "2", "--output", "json", "-k"], { cwd: dir, env: { MITY_REDIS_URL: redis.url }, timeoutMs: 60_000 });
  t.equal(run.code, 1);
  t.match(endOf(run.stdout, "apply"), { state: "failed", reason: 'no worker of pool "bastion" took it within 2s' });
  t.match(endOf(run.stdout, "local"), { state: "ok" });
  t.match(run.stdout, /waiting for a worker of pool \\"bastion\\"/);
});

t.test("Redis unreachable: exit 2 before anything runs, the password never shown", async (t) => {
  const dir = checkout(t, { "mityfile.ts": mityfile({ apply: { pool: "bastion", run: "echo hi > ran" } }) });
  const run = await runMity(["apply"], { cwd: dir, env: { MITY_REDIS_URL: "redis://deployer:s3cr3t-pw@127.0.0.1:1/0" }, timeoutMs: 60_000 });
  t.equal(run.code, 2);
  t.match(run.stderr, /cannot reach Redis at redis:\/\/deployer:\*\*\*@127\.0\.0\.1:1\/0/);
  t.notMatch(run.stdout + run.stderr, /s3cr3t/);
  t.notOk(existsSync(join(dir, "ran")));
  const worker = await runMity(["--worker", "bastion", "--redis", "redis://u:s3cr3t-pw@127.0.0.1:1"], { cwd: dir, timeoutMs: 60_000 });
  t.equal(worker.code, 2);
  t.notMatch(worker.stdout + worker.stderr, /s3cr3t/);
});

t.test("a worker killed with SIGKILL mid-task: the task fails as worker lost, never runs twice, and nothing it started survives", async (t) => {
  const redis = await startRedis(t);
  const marker = uniqueMarker();
  const env = { MITY_REDIS_URL: redis.url, MITY_POOL_LOCK_MS: "2000" };
  const files = { "mityfile.ts": mityfile({ long: { pool: "bastion", run: `echo run >> "$MITY_ROOT/runs.log"; sleep ${marker}` } }) };
  const coordinator = checkout(t, files);
  const copy = checkout(t, files);
  const worker = await startWorker(t, copy, ["bastion"], env);
  const run = startMity(["long", "--output", "json"], coordinator, env);
  await run.waitFor(/running on/, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  worker.child.kill("SIGKILL");
  const { code } = await run.exited;
  t.equal(code, 1);
  const end = ends(run.output().split("\n").filter((line) => line.startsWith("{")).join("\n")).find((event) => event.task === "long");
  t.match(end, { state: "failed", reason: "worker lost" });
  // A new worker of the pool takes no second run of it, and what the killed one left is gone.
  const again = await startWorker(t, copy, ["bastion"], env);
  t.same(await awaitNoSurvivors(marker, 10_000), [], "no process of the lost task survives");
  await new Promise((resolve) => setTimeout(resolve, 3000));
  t.equal(readFileSync(join(copy, "runs.log"), "utf8"), "run\n", "run once");
  t.notMatch(again.output(), /long: started/, "the new worker did not run it again");
});

t.test("Ctrl-C on the coordinator stops the task's processes on the worker, exit 130", async (t) => {
  const redis = await startRedis(t);
  const marker = uniqueMarker();
  const env = { MITY_REDIS_URL: redis.url };
  const files = { "mityfile.ts": mityfile({ long: { pool: "bastion", run: `sh -c 'sleep ${marker} & wait'` } }) };
  const coordinator = checkout(t, files);
  await startWorker(t, checkout(t, files), ["bastion"], env);
  const run = startMity(["long", "--output", "json"], coordinator, env);
  await interruptRemote(t, run, marker);
  const end = ends(run.output().split("\n").filter((line) => line.startsWith("{")).join("\n")).find((event) => event.task === "long");
  t.match(end, { state: "cancelled" });
});

t.test("retries: a pooled task that fails is run again as a new job", async (t) => {
  const redis = await startRedis(t);
  const env = { MITY_REDIS_URL: redis.url };
  const files = { "mityfile.ts": mityfile({ flaky: { pool: "bastion", retries: 1, run: `echo try >> tries; [ $(wc -l < tries) -ge 2 ]` } }) };
  const copy = checkout(t, files);
  await startWorker(t, copy, ["bastion"], env);
  const run = await runMity(["flaky", "--output", "json"], { cwd: checkout(t, files), env, timeoutMs: 60_000 });
  t.equal(run.code, 0, run.stdout);
  t.equal(readFileSync(join(copy, "tries"), "utf8"), "try\ntry\n");
  t.match(endOf(run.stdout, "flaky"), { state: "ok", attempt: 2, pool: "bastion" });
  t.same(events(run.stdout).filter((event) => event.event === "start").map((event) => event.attempt), [1, 2]);
});

t.test("Redis killed mid-run: the pooled task fails with a reason, local tasks go on", async (t) => {
  const redis = await startRedis(t);
  const env = { MITY_REDIS_URL: redis.url, MITY_POOL_LOCK_MS: "2000" };
  const files = { "mityfile.ts": mityfile({ remote: { pool: "bastion", run: "sleep 20" }, local: { run: "sleep 4; echo local done" } }) };
  const coordinator = checkout(t, files);
  await startWorker(t, checkout(t, files), ["bastion"], env);
  const run = startMity(["remote", "local", "-p", "-k", "--output", "json"], coordinator, env);
  await run.waitFor(/running on/, 30_000);
  await redis.kill();
  const { code } = await run.exited;
  t.equal(code, 1);
  const out = run.output().split("\n").filter((line) => line.startsWith("{")).join("\n");
  t.match(endOf(out, "remote"), { state: "failed", reason: /lost the connection to Redis at redis:\/\/127\.0\.0\.1/ });
  t.match(endOf(out, "local"), { state: "ok" });
});

t.test("200 pooled tasks over two workers", async (t) => {
  const redis = await startRedis(t);
  const env = { MITY_REDIS_URL: redis.url };
  const tasks: Record<string, unknown> = { all: { deps: Array.from({ length: 200 }, (_, i) => `t${i}`) } };
  for (let i = 0; i < 200; i++) tasks[`t${i}`] = { pool: "many", run: `echo ${i}` };
  const files = { "mityfile.ts": mityfile(tasks) };
  await startWorker(t, checkout(t, files), ["many", "-j", "4"], env);
  await startWorker(t, checkout(t, files), ["many", "-j", "4"], env);
  const began = Date.now();
  const run = await runMity(["all", "-p", "--output", "json"], { cwd: checkout(t, files), env, timeoutMs: 600_000 });
  const seconds = (Date.now() - began) / 1000;
  t.equal(run.code, 0, run.stderr);
  const done = ends(run.stdout).filter((event) => event.state === "ok" && event.pool === "many");
  t.equal(done.length, 200, JSON.stringify(ends(run.stdout).filter((event) => event.state !== "ok").slice(0, 3)));
  t.equal(new Set(done.map((event) => event.worker)).size, 2, "both workers took tasks");
  t.comment(`200 pooled tasks in ${seconds.toFixed(1)} s (${(200 / seconds).toFixed(1)} tasks/s)`);
});

t.test("a run without a pooled task loads neither bullmq nor ioredis, even when its mityfile has pools", async (t) => {
  const dir = checkout(t, {
    "mityfile.ts": mityfile({ plan: { run: "echo planning" }, apply: { deps: ["plan"], pool: "bastion", run: "echo applying" } }),
    // Told each package the process requires, by its name.
    "watch.cjs": `const Module = require("node:module"); const load = Module._load;
Module._load = function (request, ...rest) { if (/^(bullmq|ioredis)$/.test(request)) require("node:fs").appendFileSync(${JSON.stringify("LOADED")}, request + "\\n"); return load.call(this, request, ...rest); };`,
  });
  const run = await runMity(["plan", "--output", "prefix"], { cwd: dir, env: { NODE_OPTIONS: `--require ${join(dir, "watch.cjs")}` } });
  t.equal(run.code, 0, run.stderr);
  t.notOk(existsSync(join(dir, "LOADED")), "no queue package was required");
  const list = await runMity(["--list"], { cwd: dir, env: { NODE_OPTIONS: `--require ${join(dir, "watch.cjs")}` } });
  t.equal(list.code, 0);
  t.notOk(existsSync(join(dir, "LOADED")));
  // The watch sees them when a run needs them.
  const pooled = await runMity(["apply"], { cwd: dir, env: { NODE_OPTIONS: `--require ${join(dir, "watch.cjs")}`, MITY_REDIS_URL: "redis://127.0.0.1:1" } });
  t.equal(pooled.code, 2);
  t.match(readFileSync(join(dir, "LOADED"), "utf8"), /ioredis/);
});

t.test("mity --workers lists the live workers; SIGTERM stops a worker, which then leaves the list", async (t) => {
  const redis = await startRedis(t);
  const env = { MITY_REDIS_URL: redis.url };
  const files = { "mityfile.ts": mityfile({ apply: { pool: "bastion", run: "echo hi" } }) };
  const worker = await startWorker(t, checkout(t, files), ["bastion,builders", "-j", "2"], env);
  const listed = await runMity(["--workers"], { cwd: checkout(t, files), env });
  t.equal(listed.code, 0, listed.stderr);
  t.match(listed.stdout, new RegExp(`^${worker.child.pid}@\\S+  host \\S+  pools bastion,builders  idle  since \\d{4}-`, "m"));
  worker.child.kill("SIGTERM");
  const { code } = await worker.exited;
  t.equal(code, 0);
  t.match(worker.output(), /SIGTERM: taking no new task[^]*stopped/);
  const after = await runMity(["--workers"], { cwd: checkout(t, files), env });
  t.equal(after.stdout, "no live worker\n");
});
