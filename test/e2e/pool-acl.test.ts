import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import t, { type Test } from "tap";
import { startMity, uniqueMarker } from "../helpers/live.js";
import { events, runMity } from "../helpers/mity.js";
import { checkout, interruptRemote, startWorker } from "../helpers/pool.js";
import { startRedis, type RedisServer } from "../helpers/redis.js";

// Pools with the Redis users docs/pools.md gives the coordinator and the workers, taken from that page as it
// stands, on a server whose `default` user is off: what the docs promise is enough, and no more.
t.setTimeout(300_000);

const mityfile = (tasks: Record<string, unknown>) => `export default ${JSON.stringify({ tasks }, null, 2)};\n`;
const ADMIN = ["--user", "admin", "--pass", "admin-pw"];

/** The `ACL SETUSER` lines of docs/pools.md, as argument lists. */
function documentedUsers(): string[][] {
  const page = readFileSync(new URL("../../docs/pools.md", import.meta.url), "utf8");
  return page.split("\n").filter((line) => line.startsWith("ACL SETUSER ")).map((line) => line.trim().split(/\s+/));
}

/** redis-cli's answer to one command, as `user` (or the test's own admin). */
function cli(redis: RedisServer, login: readonly string[], ...command: string[]): string {
  const done = spawnSync("redis-cli", ["--no-auth-warning", "-h", "127.0.0.1", "-p", String(redis.port), ...login, ...command], { encoding: "utf8" });
  return `${done.stdout}${done.stderr}`.trim();
}

/** A redis-server set up as the docs say (passwords `<name>-pw`), with an admin of the test's own. */
async function redisWithUsers(t: Test): Promise<{ redis: RedisServer; as: (user: string) => string }> {
  const redis = await startRedis(t);
  t.equal(cli(redis, [], "ACL", "SETUSER", "admin", "on", ">admin-pw", "~*", "&*", "+@all"), "OK");
  const users = documentedUsers();
  t.same(users.map((line) => line[2]), ["mity-coordinator", "mity-worker", "default"], "the docs give both users and turn default off");
  for (const line of users) t.equal(cli(redis, ADMIN, ...line.map((word) => (word === ">…" ? `>${line[2]}-pw` : word))), "OK", line.join(" "));
  t.match(cli(redis, [], "PING"), /NOAUTH|WRONGPASS|disabled/i, "no one gets in without a user");
  return { redis, as: (user) => redis.url.replace("redis://", `redis://${user}:${user}-pw@`) };
}

/** What Redis refused since the server started (empty when the users had every right they needed). */
const refusals = (redis: RedisServer) => cli(redis, ADMIN, "ACL", "LOG");

const ends = (stdout: string) => events(stdout).filter((event) => event.event === "end");

t.test("a graph with a pooled task and mity --workers, each with its documented user: nothing refused", async (t) => {
  const { redis, as } = await redisWithUsers(t);
  const files = {
    "mityfile.ts": mityfile({
      plan: { run: "echo planned" },
      apply: { deps: ["plan"], pool: "bastion", run: "echo applied as worker" },
      broken: { deps: ["plan"], pool: "bastion", run: "echo breaking; exit 3" },
      all: { deps: ["apply", "broken"] },
    }),
  };
  const worker = await startWorker(t, checkout(t, files), ["bastion"], { MITY_REDIS_URL: as("mity-worker") });
  const coordinatorEnv = { MITY_REDIS_URL: as("mity-coordinator") };
  const run = await runMity(["all", "--output", "json", "-k"], { cwd: checkout(t, files), env: coordinatorEnv, timeoutMs: 60_000 });
  t.equal(run.code, 1, run.stderr);
  t.same(ends(run.stdout).map((event) => [event.task, event.state]).sort(), [["all", "skipped"], ["apply", "ok"], ["broken", "failed"], ["plan", "ok"]]);
  t.ok(events(run.stdout).some((event) => event.event === "output" && event.task === "apply" && event.line === "applied as worker"));
  const listed = await runMity(["--workers"], { cwd: checkout(t, files), env: coordinatorEnv });
  t.equal(listed.code, 0, listed.stderr);
  t.match(listed.stdout, new RegExp(`^${worker.child.pid}@\\S+  host \\S+  pools bastion  idle`, "m"));
  t.notMatch(worker.output(), /NOPERM|worker: redis:/, "the worker met no refusal");
  t.equal(refusals(redis), "", "Redis refused nothing to either user");
});

t.test("Ctrl-C on a coordinator with its own user cancels the task on a worker with its own", async (t) => {
  const { redis, as } = await redisWithUsers(t);
  const marker = uniqueMarker();
  const files = { "mityfile.ts": mityfile({ long: { pool: "bastion", run: `sh -c 'sleep ${marker} & wait'` } }) };
  await startWorker(t, checkout(t, files), ["bastion"], { MITY_REDIS_URL: as("mity-worker") });
  const run = startMity(["long", "--output", "json"], checkout(t, files), { MITY_REDIS_URL: as("mity-coordinator") });
  await interruptRemote(t, run, marker);
  t.equal(refusals(redis), "", "Redis refused nothing to either user");
});

t.test("neither user can flush, configure, list keys, kill clients or touch a key outside mity:*", async (t) => {
  const { redis } = await redisWithUsers(t);
  cli(redis, ADMIN, "SET", "other:secret", "x");
  for (const user of ["mity-coordinator", "mity-worker"]) {
    const login = ["--user", user, "--pass", `${user}-pw`];
    t.equal(cli(redis, login, "PING"), "PONG", `${user} gets in`);
    t.equal(cli(redis, login, "SET", "mity:probe", "1"), "OK", `${user} writes under mity:`);
    for (const command of [["FLUSHALL"], ["FLUSHDB"], ["CONFIG", "GET", "*"], ["KEYS", "*"], ["GET", "other:secret"], ["SET", "other:key", "1"], ["PUBLISH", "other", "x"], ["CLIENT", "KILL", "ID", "1"]]) {
      t.match(cli(redis, login, ...command), /NOPERM/, `${user}: ${command.join(" ")} is refused`);
    }
  }
  t.match(cli(redis, ["--user", "mity-worker", "--pass", "mity-worker-pw"], "PUBLISH", "mity:cancel", "{}"), /NOPERM/, "a worker only hears cancellations, never sends one");
  t.equal(cli(redis, ADMIN, "GET", "other:secret"), "x", "the key outside mity:* is untouched");
});
