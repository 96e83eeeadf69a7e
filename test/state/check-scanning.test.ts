import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { scanPatterns } from "../../lib/state/scan.js";
import { exits, jsonMityfile } from "../helpers/fixtures.js";
import { startMity } from "../helpers/live.js";
import { runMity, tempTree } from "../helpers/mity.js";

/**
 * `loop/d0` .. `loop/d<levels>`, each folder holding two links to the next: 2^levels paths to the
 * last folder's file and no cycle, so a scan of `loop/**` goes on far longer than any test.
 */
function links(root: string, levels: number): void {
  for (let level = 0; level < levels; level++) {
    mkdirSync(join(root, `loop/d${level}`), { recursive: true });
    for (const name of ["a", "b"]) symlinkSync(`../d${level + 1}`, join(root, `loop/d${level}/${name}`));
  }
  mkdirSync(join(root, `loop/d${levels}`), { recursive: true });
  writeFileSync(join(root, `loop/d${levels}/f.txt`), "x");
}

t.test("a scan stops with the run's signal, between files", async (t) => {
  const root = tempTree(t, {});
  links(root, 24);
  const controller = new AbortController();
  // Fires only if the scan lets the event loop turn.
  setTimeout(() => controller.abort("SIGINT"), 200);
  await t.rejects(scanPatterns("inputs", root, ["loop/**"], {}, { signal: controller.signal }), "SIGINT" as unknown as Error);
});

t.test("a scan that reaches more files than the limit stops and says so", async (t) => {
  const root = tempTree(t, {});
  links(root, 24);
  const scan = await scanPatterns("inputs", root, ["loop/**", "other/*.txt"], {}, { limit: 1000 });
  t.strictSame(scan.problems, ['inputs patterns reach more than 1,000 files and folders (stopped at "loop/**"): name the folders the task uses']);
});

t.test("a symbolic link to a FIFO among the inputs: the run ends, and the next is up to date", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { build: { inputs: ["src/**"], outputs: [], run: "echo built" } } }), "src/a.txt": "a" });
  execFileSync("mkfifo", [join(dir, "pipe")]);
  symlinkSync(join(dir, "pipe"), join(dir, "src/pipe"));
  exits(t, await runMity(["build"], { cwd: dir, timeoutMs: 20_000 }), 0, "first run");
  const second = await runMity(["build"], { cwd: dir, timeoutMs: 20_000 });
  exits(t, second, 0, "second run");
  t.match(second.stdout, /up-to-date: its inputs and outputs are unchanged/);
});

t.test("a pattern rooted at / is refused, naming the task and field: the task runs each time", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { all: { inputs: ["/**"], outputs: [], run: "echo ran" } } }) });
  const refusal = 'inputs pattern "/**" would scan the whole file system from /: name the folders the task uses';
  const first = await runMity(["all"], { cwd: dir, timeoutMs: 20_000 });
  exits(t, first, 0, "first run");
  t.match(first.stderr, `[all] mity: ${refusal}; it will run every time until this is fixed`);
  t.notMatch(first.stderr, "matches no file", "refused, not empty");
  const why = await runMity(["--why", "all"], { cwd: dir, timeoutMs: 20_000 });
  t.equal(why.stdout, "all would run: it has not run successfully before\n");
  const again = await runMity(["all"], { cwd: dir, timeoutMs: 20_000 });
  t.match(again.stdout, "[all] ran");
});

t.test("SIGTERM during a long scan ends the run at once", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { wide: { inputs: ["loop/**"], outputs: [], run: "echo scanning-next" } } }) });
  links(dir, 24);
  const live = startMity(["wide"], dir);
  t.teardown(() => live.child.kill("SIGKILL"));
  await live.waitFor(/scanning-next/, 20_000);
  live.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([live.exited, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 30_000)))]);
  clearTimeout(timer);
  t.ok(ended, `mity ended after SIGTERM:\n${live.output()}`);
  t.equal(ended?.code, 143);
  t.notMatch(live.output(), /reach more than/, "stopped by the signal, not by the limit");
});

t.test("an input that cannot be read makes the task run, and --why says why", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { build: { inputs: ["in/*"], outputs: [], run: "echo built" } } }), "in/a.txt": "a" });
  exits(t, await runMity(["build"], { cwd: dir }), 0, "first run");
  // A regular file, by its stat, that no read succeeds on.
  symlinkSync("/proc/self/mem", join(dir, "in/mem"));
  const problem = 'inputs pattern "in/*": in/mem cannot be read (EIO)';
  t.equal((await runMity(["--why", "build"], { cwd: dir })).stdout, `build would run: ${problem}\n`);
  const run = await runMity(["build"], { cwd: dir });
  t.match(run.stdout, "[build] built");
  t.match(run.stderr, `[build] mity: ${problem}; it will run every time until this is fixed`);
  t.equal((await runMity(["--why", "build"], { cwd: dir })).stdout, `build would run: ${problem}\n`, "still, as nothing was recorded");
});
