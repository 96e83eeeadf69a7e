import { readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { awaitNoSurvivors, startMity, survivors, uniqueMarker } from "../helpers/live.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

/** A shell snippet that records the task's start and end (in ns) around `body`. */
const timed = (body: string) =>
  `echo "$MITY_TASK start $(date +%s%N)" >> "$MITY_ROOT/times.log"; ${body}; echo "$MITY_TASK end $(date +%s%N)" >> "$MITY_ROOT/times.log"`;

/** Intervals per task from times.log. */
function intervals(dir: string): Map<string, { start: number; end: number }> {
  const found = new Map<string, { start: number; end: number }>();
  for (const line of readFileSync(join(dir, "times.log"), "utf8").trim().split("\n")) {
    const [task, what, ns] = line.split(" ");
    const entry = found.get(task!) ?? { start: 0, end: 0 };
    entry[what as "start" | "end"] = Number(BigInt(ns!) / 1000n) / 1000;
    found.set(task!, entry);
  }
  return found;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

t.test("Ctrl-C stops every process of parallel nested shells and exits 130", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      a: { run: "sh -c 'sleep ${marker}1 & sleep ${marker}2; wait'" },
      b: { run: "sh -c 'sh -c \\"sleep ${marker}3\\" & wait'" },
      both: { deps: ["a", "b"], concurrent: true },
    } };`,
  });
  const mity = startMity(["both", "--output", "json"], dir);
  await mity.waitFor(/"task":"b".*\n?[^]*"task":"a"|"task":"a"[^]*"task":"b"/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.ok(survivors(marker).filter((line) => line.startsWith("S") && /\bsleep \d/.test(line)).length >= 3, "the three sleeps run before the signal");
  mity.child.kill("SIGINT");
  const { code } = await mity.exited;
  t.equal(code, 130);
  t.same(await awaitNoSurvivors(marker, 500), [], "nothing survives");
  const ends = events(mity.output().split("\n").filter((line) => line.startsWith("{")).join("\n")).filter((e) => e.event === "end");
  t.same(ends.map((e) => [e.task, e.state]).sort(), [["a", "cancelled"], ["b", "cancelled"], ["both", "skipped"]]);
});

t.test("SIGTERM exits 143 and marks the running task cancelled", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { slow: { run: "sleep ${marker}" } } };` });
  const mity = startMity(["slow"], dir);
  await mity.waitFor(/\[slow\] started/);
  mity.child.kill("SIGTERM");
  const { code } = await mity.exited;
  t.equal(code, 143);
  t.match(mity.output(), /cancelled/);
  t.same(await awaitNoSurvivors(marker, 500), []);
});

t.test("a child that ignores SIGTERM is killed after the grace period", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { stubborn: { run: "trap '' TERM; sleep ${marker}; sleep ${marker}" } } };` });
  const mity = startMity(["stubborn", "--grace", "0.5"], dir);
  await mity.waitFor(/\[stubborn\] started/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const signalled = Date.now();
  mity.child.kill("SIGINT");
  const { code } = await mity.exited;
  const took = Date.now() - signalled;
  t.equal(code, 130);
  t.ok(took >= 450 && took < 3000, `stopped after the grace period (${took} ms)`);
  t.same(await awaitNoSurvivors(marker, 500), []);
});

t.test("a second Ctrl-C kills at once", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { stubborn: { run: "trap '' TERM; sleep ${marker}" } } };` });
  const mity = startMity(["stubborn", "--grace", "30"], dir);
  await mity.waitFor(/\[stubborn\] started/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  mity.child.kill("SIGINT");
  await mity.waitFor(/again to kill/);
  const second = Date.now();
  mity.child.kill("SIGINT");
  const { code } = await mity.exited;
  t.equal(code, 130);
  t.ok(Date.now() - second < 2000, "the second signal does not wait for the grace period");
  t.same(await awaitNoSurvivors(marker, 500), []);
});

t.test("when mity itself is killed with SIGKILL, its watchdog stops the tasks", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      a: { run: "sh -c 'sleep ${marker}1 & sleep ${marker}2; wait'" },
      b: { run: "sleep ${marker}3" },
      both: { deps: ["a", "b"], concurrent: true },
    } };`,
  });
  const mity = startMity(["both"], dir);
  await mity.waitFor(/\[a\][^]*\[b\]|\[b\][^]*\[a\]/);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.ok(survivors(marker).length >= 3, "the sleeps run before mity is killed");
  mity.child.kill("SIGKILL");
  await mity.exited;
  t.same(await awaitNoSurvivors(marker, 4000), [], "the tasks' process groups are stopped");
});

t.test("what a command leaves running in the background is stopped when it ends", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { leaky: { run: "sleep ${marker} > /dev/null & echo started" } } };` });
  const result = await runMity(["leaky"], { cwd: dir });
  t.equal(result.code, 0, result.stderr);
  t.same(await awaitNoSurvivors(marker, 1000), []);
});

t.test("timeout: the task fails with a reason, its processes stop, and ctx.signal is aborted", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `import { writeFileSync } from "node:fs";
export default { tasks: {
  shell: { timeout: "300ms", run: "sleep ${marker}" },
  fn: { timeout: 300, run: async ({ signal }) => {
    await new Promise((resolve) => signal.addEventListener("abort", resolve));
    writeFileSync("aborted.txt", String(signal.aborted));
  } },
  both: { deps: ["shell", "fn"], concurrent: true },
} };`,
  });
  const started = Date.now();
  const result = await runMity(["both", "--output", "json", "-k"], { cwd: dir });
  t.ok(Date.now() - started < 5000, "does not wait for the sleep");
  t.equal(result.code, 1);
  const ends = events(result.stdout).filter((e) => e.event === "end");
  const shell = ends.find((e) => e.task === "shell")!;
  t.equal(shell.state, "failed");
  t.match(shell.reason, /timed out after 300ms/);
  t.equal(ends.find((e) => e.task === "fn")!.state, "failed");
  t.equal(readFileSync(join(dir, "aborted.txt"), "utf8"), "true");
  t.same(await awaitNoSurvivors(marker, 500), []);
});

t.test("tasks sharing a lock never overlap, whatever -j and --parallel say", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      a: { lock: "state", run: ${JSON.stringify(timed("sleep 0.3"))} },
      b: { lock: "state", run: ${JSON.stringify(timed("sleep 0.3"))} },
      c: { lock: "state", run: ${JSON.stringify(timed("sleep 0.3"))} },
      free: { run: ${JSON.stringify(timed("sleep 0.3"))} },
    } };`,
  });
  const result = await runMity(["--parallel", "-j4", "a", "b", "c", "free"], { cwd: dir });
  t.equal(result.code, 0, result.stderr);
  const spans = intervals(dir);
  for (const [x, y] of [["a", "b"], ["a", "c"], ["b", "c"]] as const) t.notOk(overlaps(spans.get(x)!, spans.get(y)!), `${x} and ${y} do not overlap`);
  t.ok(["a", "b", "c"].some((name) => overlaps(spans.get(name)!, spans.get("free")!)), "a task without the lock runs beside them");
});

t.test("an interactive task runs while no other task runs, even without a terminal", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      a: { run: ${JSON.stringify(timed("sleep 0.3"))} },
      b: { run: ${JSON.stringify(timed("sleep 0.3"))} },
      ask: { interactive: true, run: ${JSON.stringify(timed("sleep 0.2"))} },
      c: { run: ${JSON.stringify(timed("sleep 0.3"))} },
    } };`,
  });
  const result = await runMity(["--parallel", "-j4", "a", "b", "ask", "c"], { cwd: dir });
  t.equal(result.code, 0, result.stderr);
  const spans = intervals(dir);
  for (const other of ["a", "b", "c"]) t.notOk(overlaps(spans.get("ask")!, spans.get(other)!), `ask does not overlap ${other}`);
});

t.test("lines of concurrent tasks are never cut into each other", async (t) => {
  const script = (letter: string) => `node -e "const l='${letter}'.repeat(3000); for (let i = 0; i < 3000; i++) console.log(i + ':' + l)"`;
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { x: { run: ${JSON.stringify(script("x"))} }, y: { run: ${JSON.stringify(script("y"))} } } };` });
  const result = await runMity(["--parallel", "x", "y"], { cwd: dir });
  t.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split("\n").filter((line) => /^\[[xy]\] \d+:/.test(line));
  t.equal(lines.length, 6000);
  const broken = lines.filter((line) => !/^\[(x)\] \d+:x{3000}$|^\[(y)\] \d+:y{3000}$/.test(line));
  t.same(broken.slice(0, 2), [], "every line is whole and attributed to its task");
});

t.test("20 MB of output and a 1 MB line without a newline neither hang nor break", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      big: { run: "head -c 20000000 /dev/zero | tr '\\\\0' 'x' | fold -w 99" },
      wide: { run: "head -c 1048576 /dev/zero | tr '\\\\0' 'y'" },
    } };`,
  });
  const result = await runMity(["--parallel", "--output", "raw", "big", "wide"], { cwd: dir, timeoutMs: 60_000 });
  t.equal(result.code, 0, result.stderr.slice(0, 500));
  // Raw passes bytes on as they are: count them, with fold's newlines and not one more.
  const count = (char: string) => result.stdout.split(char).length - 1;
  t.equal(count("x"), 20_000_000, "every byte of the big output arrives");
  t.equal(count("y"), 1_048_576, "the long line arrives");
  t.equal(count("\n"), Math.floor(20_000_000 / 99), "no newline added");
});

t.test("exit codes pass through, stdout and stderr stay apart", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      fail: { run: "echo to-out; echo to-err >&2; exit 42" },
      missing: { run: "no-such-command-here --flag" },
    } };`,
  });
  const result = await runMity(["-k", "--output", "json", "fail", "missing"], { cwd: dir });
  t.equal(result.code, 1);
  const all = events(result.stdout);
  const fail = all.find((e) => e.event === "end" && e.task === "fail")!;
  t.equal(fail.exitCode, 42);
  t.same(
    all.filter((e) => e.event === "output" && e.task === "fail").map((e) => [e.stream, e.line]),
    [["stdout", "to-out"], ["stderr", "to-err"]],
  );
  const missing = all.find((e) => e.event === "end" && e.task === "missing")!;
  t.equal(missing.exitCode, 127, "a command run without the shell reports 'not found' as the shell would");
  t.ok(all.some((e) => e.event === "output" && e.task === "missing" && /no-such-command-here: command not found/.test(String(e.line))));
});
