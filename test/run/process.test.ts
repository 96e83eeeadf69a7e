import t from "tap";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { OutputFlow } from "../../lib/run/flow.js";
import { runCommand, type CommandRequest } from "../../lib/run/process.js";
import { tempTree } from "../helpers/mity.js";

/** A request for `command` that records its output lines as `stream: line`. */
function request(command: string, cwd: string): { request: CommandRequest; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    request: {
      command,
      cwd,
      env: { ...process.env },
      onStop: () => () => {},
      graceMs: 1000,
      onLine: (stream, line) => lines.push(`${stream}: ${line}`),
    },
  };
}

t.test("output is passed on line by line with its stream, and the exit code comes back", async (t) => {
  const dir = tempTree(t, {});
  const { request: req, lines } = request("printf 'a\\nb' && echo oops >&2 && exit 3", dir);
  const exit = await runCommand(req);
  t.strictSame(exit, { exitCode: 3, signal: null });
  t.strictSame(lines.filter((line) => line.startsWith("stdout")), ["stdout: a", "stdout: b"]);
  t.strictSame(lines.filter((line) => line.startsWith("stderr")), ["stderr: oops"]);
});

t.test("a process that left the group holding the output open does not hold the command: reading stops a second after the exit", async (t) => {
  const dir = tempTree(t, {});
  // The survivor keeps the inherited stdout open in a session of its own. It writes its pid once it has
  // left the group, and the command waits for that (5 s at most): exiting sooner would let the group's
  // clean-up kill it.
  const { request: req, lines } = request(
    `setsid sh -c 'echo $$ > holder.tmp && mv holder.tmp holder.pid; exec sleep 30' & ` +
      `i=0; while [ ! -e holder.pid ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done; echo before`,
    dir,
  );
  t.teardown(() => {
    try {
      process.kill(Number(readFileSync(join(dir, "holder.pid"), "utf8")), "SIGKILL");
    } catch {
      // Already gone.
    }
  });
  const started = performance.now();
  const exit = await runCommand(req);
  const took = performance.now() - started;
  t.strictSame(exit, { exitCode: 0, signal: null });
  t.strictSame(lines, ["stdout: before"]);
  t.ok(took >= 900 && took < 5000, `resolved ${Math.round(took)} ms after the start, not 30 s`);
});

t.test("the timer that stops a lingering read is armed at most once per command and cleared when the command is done", async (t) => {
  const dir = tempTree(t, {});
  const armed = new Set<unknown>();
  const cleared = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const timer = realSet(fn, ms);
    if (ms === 1000) armed.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    if (armed.has(timer)) cleared.add(timer);
    realClear(timer);
  }) as typeof clearTimeout;
  t.teardown(() => {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  });
  for (let i = 0; i < 20; i++) {
    const { request: req } = request(i % 2 ? "true" : "echo hi", dir);
    t.equal((await runCommand(req)).exitCode, 0);
  }
  t.ok(armed.size <= 20, `at most one per command (${armed.size} for 20)`);
  t.strictSame([...armed].filter((timer) => !cleared.has(timer)), [], "none left running");
});

t.test("the output comes as chunks of the bytes read, unchanged, as well as lines", async (t) => {
  const dir = tempTree(t, {});
  const { request: req, lines } = request("printf 'a\\r\\nb\\377\\000c'", dir);
  const chunks: Buffer[] = [];
  await runCommand({ ...req, onChunk: (stream, data) => stream === "stdout" && chunks.push(data) });
  t.ok(Buffer.concat(chunks).equals(Buffer.from([0x61, 0x0d, 0x0a, 0x62, 0xff, 0x00, 0x63])), "bytes as printed");
  t.strictSame(lines, ["stdout: a", "stdout: b\ufffd\u0000c"]);
});

t.test("while the flow is held, the command's pipe is not read: the command waits on it", async (t) => {
  const dir = tempTree(t, {});
  const flow = new OutputFlow();
  flow.hold("reader");
  // Far more than a pipe holds: the command can only finish once its output is read.
  const { request: req, lines } = request("seq 200000 && touch finished", dir);
  const done = runCommand({ ...req, flow });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  t.notOk(existsSync(join(dir, "finished")), "the command is still writing");
  t.ok(lines.length < 200000, `${lines.length} lines read while held`);
  flow.release("reader");
  t.strictSame(await done, { exitCode: 0, signal: null });
  t.equal(lines.length, 200000, "every line once the flow is free");
  t.equal(lines.at(-1), "stdout: 200000");
});
