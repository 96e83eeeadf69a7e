import { existsSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { events, runMity } from "../helpers/mity.js";
import { checkout, startWorker } from "../helpers/pool.js";
import { hasOpenssl, makeCertificates, startRedis } from "../helpers/redis.js";

// Pools over `rediss://`: a redis-server listening on TLS only, with a certificate from a CA of the test's own.
t.setTimeout(300_000);

const mityfile = (tasks: Record<string, unknown>) => `export default ${JSON.stringify({ tasks }, null, 2)};\n`;
const files = { "mityfile.ts": mityfile({ apply: { pool: "bastion", run: "echo applied over tls" } }) };

if (!hasOpenssl()) {
  t.pass("skipped: openssl is not installed, so there are no certificates to test TLS with", { skip: true });
} else {
  t.test("a pooled task runs end to end over rediss://, the private CA trusted through NODE_EXTRA_CA_CERTS", async (t) => {
    const certs = makeCertificates(t);
    const redis = await startRedis(t, [], certs);
    const env = { MITY_REDIS_URL: redis.url, NODE_EXTRA_CA_CERTS: certs.ca };
    t.match(redis.url, /^rediss:\/\/127\.0\.0\.1:\d+$/);
    const worker = await startWorker(t, checkout(t, files), ["bastion"], env);
    t.match(worker.output(), /ready \(1 at once, Redis rediss:\/\/127\.0\.0\.1:\d+\/?\)/);
    const run = await runMity(["apply", "--output", "json"], { cwd: checkout(t, files), env, timeoutMs: 60_000 });
    t.equal(run.code, 0, run.stderr);
    const lines = events(run.stdout).filter((event) => event.event === "output" && event.task === "apply").map((event) => event.line);
    t.ok(lines.includes("applied over tls"), "the worker's output came back");
    t.match(events(run.stdout).find((event) => event.event === "end" && event.task === "apply"), { state: "ok", pool: "bastion" });
    // The server speaks TLS only: the same port without it is no way in.
    const plain = await runMity(["apply"], { cwd: checkout(t, files), env: { MITY_REDIS_URL: redis.url.replace("rediss:", "redis:") }, timeoutMs: 60_000 });
    t.equal(plain.code, 2, "plain redis:// to the TLS port fails");
  });

  t.test("a server whose certificate is not trusted: exit 2, a message about the certificate, no password", async (t) => {
    const certs = makeCertificates(t, "unknown");
    const redis = await startRedis(t, ["--requirepass", "s3cr3t-pw"], certs);
    const url = `rediss://:s3cr3t-pw@127.0.0.1:${redis.port}/0`;
    const dir = checkout(t, { "mityfile.ts": mityfile({ apply: { pool: "bastion", run: "echo hi > ran" } }) });
    const run = await runMity(["apply"], { cwd: dir, env: { MITY_REDIS_URL: url }, timeoutMs: 60_000 });
    t.equal(run.code, 2, run.stderr);
    t.match(run.stderr, new RegExp(`cannot reach Redis at rediss://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/0 \\(from MITY_REDIS_URL\\)`));
    t.match(run.stderr, /certificate/i, "says it is about the certificate");
    t.match(run.stderr, /NODE_EXTRA_CA_CERTS/, "and how to trust a private CA");
    t.notMatch(run.stdout + run.stderr, /s3cr3t/);
    t.notOk(existsSync(join(dir, "ran")), "nothing ran");
    const worker = await runMity(["--worker", "bastion"], { cwd: dir, env: { MITY_REDIS_URL: url }, timeoutMs: 60_000 });
    t.equal(worker.code, 2);
    t.match(worker.stderr, /certificate[^]*NODE_EXTRA_CA_CERTS/i);
    t.notMatch(worker.stdout + worker.stderr, /s3cr3t/);
  });
}
