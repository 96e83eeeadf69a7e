import t from "tap";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KEPT_RUNS, createRunLog, logFileName } from "../../lib/report/run-log.js";
import { OutputFlow } from "../../lib/run/flow.js";
import { tempTree } from "../helpers/mity.js";

t.test("each task's commands, lines and end land in its own file, in order, once close() resolves", async (t) => {
  const root = tempTree(t, {});
  const log = createRunLog(root, "run-1");
  const time = 0;
  log.sink({ event: "command", task: "fw:plan", command: "terraform plan", time });
  log.sink({ event: "output", task: "lint", stream: "stdout", line: "checking", time });
  log.sink({ event: "output", task: "fw:plan", stream: "stdout", line: "1 to add", time });
  log.sink({ event: "output", task: "fw:plan", stream: "stderr", line: "warning: x", time });
  log.sink({ event: "end", task: "lint", state: "ok", duration: 12, time });
  log.sink({ event: "end", task: "fw:plan", state: "failed", duration: 340, exitCode: 1, reason: "exit code 1 from: terraform plan", time });
  log.sink({ event: "end", task: "quiet", state: "ok", duration: 1, time });
  log.sink({ event: "command", task: "fmt", command: "prettier --check .", time });
  log.sink({ event: "end", task: "fmt", state: "ok", duration: 2, time });
  log.sink({ event: "command", task: "probe", command: "test -f x", time });
  log.sink({ event: "end", task: "probe", state: "failed", duration: 2, exitCode: 1, reason: "exit code 1 from: test -f x", time });
  await log.close();
  const dir = join(root, ".mity", "logs", "run-1");
  t.equal(log.dir(), dir);
  t.strictSame(readdirSync(dir).sort(), ["fw_plan.log", "lint.log", "probe.log"], "a task that succeeded with nothing to say has no file");
  t.equal(readFileSync(join(dir, "probe.log"), "utf8"), "$ test -f x\n[mity] failed after 2 ms, exit code 1: exit code 1 from: test -f x\n", "a silent failure still has one");
  t.equal(readFileSync(join(dir, "fw_plan.log"), "utf8"), "$ terraform plan\n1 to add\nwarning: x\n[mity] failed after 340 ms, exit code 1: exit code 1 from: terraform plan\n");
  t.equal(readFileSync(join(dir, "lint.log"), "utf8"), "checking\n[mity] ok after 12 ms\n");
  t.equal(readFileSync(join(root, ".mity", ".gitignore"), "utf8"), "*\n", "the .mity folder ignores itself");
});

t.test("a long output is written in parts, still in order", async (t) => {
  const root = tempTree(t, {});
  const log = createRunLog(root, "run-1");
  const lines = Array.from({ length: 30_000 }, (_, i) => `line ${i} ${"x".repeat(20)}`);
  for (const line of lines) log.sink({ event: "output", task: "big", stream: "stdout", line, time: 0 });
  log.sink({ event: "end", task: "big", state: "ok", duration: 5, time: 0 });
  await log.close();
  t.equal(readFileSync(join(log.dir()!, logFileName("big")), "utf8"), `${lines.join("\n")}\n[mity] ok after 5 ms\n`);
});

t.test(`only the last ${KEPT_RUNS} runs are kept`, async (t) => {
  const root = tempTree(t, {});
  for (let i = 0; i < KEPT_RUNS + 3; i++) mkdirSync(join(root, ".mity", "logs", `2026-01-${String(i + 1).padStart(2, "0")}`), { recursive: true });
  const log = createRunLog(root, "2026-12-31");
  log.sink({ event: "output", task: "a", stream: "stdout", line: "a", time: 0 });
  log.sink({ event: "end", task: "a", state: "ok", duration: 1, time: 0 });
  await log.close();
  const runs = readdirSync(join(root, ".mity", "logs")).sort();
  t.equal(runs.length, KEPT_RUNS);
  t.equal(runs.at(-1), "2026-12-31", "this run is kept");
  t.notOk(existsSync(join(root, ".mity", "logs", "2026-01-01")), "the oldest are gone");
});

t.test("a run that writes its first log after newer runs wrote theirs keeps its own folder", async (t) => {
  const root = tempTree(t, {});
  for (let i = 0; i < KEPT_RUNS + 2; i++) mkdirSync(join(root, ".mity", "logs", `2026-02-${String(i + 1).padStart(2, "0")}`), { recursive: true });
  const log = createRunLog(root, "2026-01-01");
  log.sink({ event: "output", task: "a", stream: "stdout", line: "late", time: 0 });
  log.sink({ event: "end", task: "a", state: "failed", duration: 1, exitCode: 1, time: 0 });
  await log.close();
  t.equal(readFileSync(join(log.dir()!, "a.log"), "utf8").split("\n")[0], "late");
  const runs = readdirSync(join(root, ".mity", "logs")).sort();
  t.equal(runs.length, KEPT_RUNS);
  t.strictSame(runs.slice(0, 2), ["2026-01-01", "2026-02-04"], "this run and the newest others");
});

t.test("a run whose tasks all succeeded in silence makes no folder and removes no older run", async (t) => {
  const root = tempTree(t, {});
  for (let i = 0; i < KEPT_RUNS; i++) mkdirSync(join(root, ".mity", "logs", `2026-01-${String(i + 1).padStart(2, "0")}`), { recursive: true });
  const log = createRunLog(root, "2026-12-31");
  log.sink({ event: "command", task: "fmt", command: "prettier --check .", time: 0 });
  log.sink({ event: "end", task: "fmt", state: "ok", duration: 2, time: 0 });
  log.sink({ event: "end", task: "noop", state: "ok", duration: 0, time: 0 });
  await log.close();
  t.equal(log.dir(), undefined);
  t.equal(readdirSync(join(root, ".mity", "logs")).length, KEPT_RUNS, "the older runs are all there");
  t.notOk(existsSync(join(root, ".mity", "logs", "2026-12-31")));
});

t.test("a folder that cannot be made means no log, not a failed run", async (t) => {
  const root = tempTree(t, {});
  // A file where the .mity folder would be: mkdir fails even for root.
  writeFileSync(join(root, ".mity"), "");
  const log = createRunLog(root, "run-1");
  log.sink({ event: "output", task: "a", stream: "stdout", line: "a", time: 0 });
  log.sink({ event: "end", task: "a", state: "failed", duration: 1, exitCode: 1, time: 0 });
  await log.close();
  t.equal(log.dir(), undefined);
});

t.test("thousands of tasks ending at once lose no log, even with few file descriptors", async (t) => {
  const root = tempTree(t, {});
  const runLog = fileURLToPath(new URL("../../dist/report/run-log.js", import.meta.url));
  const script = `
    const { createRunLog } = await import(${JSON.stringify(runLog)});
    const log = createRunLog(${JSON.stringify(root)}, "run-1");
    for (let i = 0; i < 3000; i++) {
      log.sink({ event: "output", task: "t" + i, stream: "stdout", line: "line of t" + i, time: 0 });
      log.sink({ event: "end", task: "t" + i, state: "ok", duration: 0, time: 0 });
    }
    await log.close();
  `;
  // 64 descriptors: the appends must not all be open at once.
  const result = spawnSync("sh", ["-c", `ulimit -n 64 && exec "${process.execPath}" --input-type=module -e "$0"`, script], { encoding: "utf8" });
  t.equal(result.status, 0, result.stderr);
  const dir = join(root, ".mity", "logs", "run-1");
  t.equal(readdirSync(dir).length, 3000, "every task has its file");
  t.equal(readFileSync(join(dir, "t2999.log"), "utf8"), "line of t2999\n[mity] ok after 0 ms\n");
});

t.test("output on its way to disk past a bound holds the flow, so tasks wait for the log instead of it piling up", async (t) => {
  const root = tempTree(t, {});
  const flow = new OutputFlow();
  const log = createRunLog(root, "run-1", flow);
  const line = "z".repeat(999);
  // 3 MB in one turn of the event loop: nothing can have reached the disk yet.
  for (let i = 0; i < 3000; i++) log.sink({ event: "output", task: "chatty", stream: "stdout", line, time: 0 });
  t.ok(flow.held, "held while the disk is behind");
  await log.close();
  t.notOk(flow.held, "free once it is written");
  log.sink({ event: "end", task: "chatty", state: "ok", duration: 1, time: 0 });
  await log.close();
  t.equal(readFileSync(join(root, ".mity", "logs", "run-1", "chatty.log"), "utf8").split("\n").filter((text) => text === line).length, 3000);
});
