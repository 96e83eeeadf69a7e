import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "./ports.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>`, or `rediss://…` when started with TLS. */
  url: string;
  /** Stops it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A server certificate (and its key) for 127.0.0.1, signed by a throwaway CA; all PEM file paths. */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

/** Listens on TLS only (`--port 0`), with these files; clients need no certificate of their own. */
const tlsSettings = (port: number, tls: TlsFiles) =>
  ["--port", "0", "--tls-port", String(port), "--tls-cert-file", tls.cert, "--tls-key-file", tls.key, "--tls-ca-cert-file", tls.ca, "--tls-auth-clients", "no"];

/** A real redis-server on a free loopback port, keeping nothing on disk; `extra` are more command-line settings. */
export async function startRedis(t: { teardown(fn: () => unknown): void }, extra: readonly string[] = [], tls?: TlsFiles): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "mity-redis-"));
  let child: ChildProcess | undefined;
  const listen = tls ? tlsSettings(port, tls) : ["--port", String(port)];
  const launch = async () => {
    child = spawn("redis-server", [...listen, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--maxmemory-policy", "noeviction", ...extra], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      let seen = "";
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}: ${seen}`)), 15000);
      child!.stdout!.setEncoding("utf8").on("data", (text: string) => {
        seen += text;
        if (seen.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${seen}`));
      });
    });
    child.removeAllListeners("exit");
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGKILL");
    });
  };
  await launch();
  const server: RedisServer = { port, url: `${tls ? "rediss" : "redis"}://127.0.0.1:${port}`, kill, restart: launch, stop: kill };
  t.teardown(async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  });
  return server;
}

/** Whether `openssl` is there to make certificates with. */
export function hasOpenssl(): boolean {
  return spawnSync("openssl", ["version"]).status === 0;
}

/** Makes a throwaway CA and a server certificate for 127.0.0.1 signed by it, in a temp folder removed at the end. */
export function makeCertificates(t: { teardown(fn: () => unknown): void }, name = "mity test"): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), "mity-tls-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const at = (file: string) => join(dir, file);
  const openssl = (...args: string[]) => {
    const done = spawnSync("openssl", args, { encoding: "utf8" });
    if (done.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${done.stderr}`);
  };
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${name} CA`, "-keyout", at("ca.key"), "-out", at("ca.pem"));
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", at("server.key"), "-out", at("server.csr"));
  // Node checks the address against subjectAltName, never against the CN.
  writeFileSync(at("san.ext"), "subjectAltName = IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", at("server.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", at("san.ext"), "-out", at("server.pem"));
  return { cert: at("server.pem"), key: at("server.key"), ca: at("ca.pem") };
}
