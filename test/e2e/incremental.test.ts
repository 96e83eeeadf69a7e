import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { endsByTask, exits, jsonMityfile, readLog, type Json, type Test } from "../helpers/fixtures.js";
import { startMity } from "../helpers/live.js";
import { events, runMity, tempTree, type MityRun } from "../helpers/mity.js";

t.jobs = 3;

/** gen concatenates src/*.txt into gen.txt; build copies it to out.txt; each notes in ran.log that it ran. */
const TASKS = {
  gen: { inputs: ["src/*.txt"], outputs: ["gen.txt"], run: "cat src/*.txt > gen.txt && echo gen >> ran.log" },
  build: { deps: ["gen"], inputs: ["gen.txt"], outputs: ["out.txt"], run: "cp gen.txt out.txt && echo build >> ran.log" },
};

const project = (t: Test, tasks: Record<string, unknown> = TASKS, extra: Record<string, string> = {}) =>
  tempTree(t, { "mityfile.ts": jsonMityfile({ tasks }), "src/a.txt": "alpha\n", "src/b.txt": "beta\n", ...extra });

interface Outcome {
  run: MityRun;
  /** Task name to its end state. */
  states: Record<string, unknown>;
  reasons: Record<string, unknown>;
  /** Tasks whose command ran, from ran.log (emptied before each run). */
  ran: string[];
  events: Json[];
}

/** Runs mity with JSON output (in `dir`, or `cwd` below it) and says what each task did. */
async function mity(dir: string, args: string[], cwd = dir): Promise<Outcome> {
  rmSync(join(dir, "ran.log"), { force: true });
  const run = await runMity([...args, "--output", "json"], { cwd });
  const list = run.code === 0 || run.code === 1 ? events(run.stdout) : [];
  const ends = [...endsByTask(list).values()];
  return {
    run,
    states: Object.fromEntries(ends.map((end) => [end.task, end.state])),
    reasons: Object.fromEntries(ends.map((end) => [end.task, end.reason])),
    ran: readLog(join(dir, "ran.log")),
    events: list,
  };
}

/** What `mity --why <task>` prints. */
async function why(t: Test, dir: string, task: string): Promise<string> {
  const run = await runMity(["--why", task], { cwd: dir });
  exits(t, run, 0, `--why ${task}`);
  return run.stdout;
}

// Twenty-five tests of real runs, one of them over 10,000 files: more than tap's two minutes on a busy machine.
t.setTimeout(300_000);

const UNCHANGED = "its inputs and outputs are unchanged";
const readState = (dir: string) => JSON.parse(readFileSync(join(dir, ".mity", "state.json"), "utf8")) as { format: string; version: number; tasks: Record<string, unknown> };

// First, so its thousands of file writes overlap the other tests rather than trail them.
t.test("10,000 input files: the second run is up to date, and one changed file is named", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { big: { inputs: ["src/**/*.txt"], outputs: ["out.txt"], run: "find src -name '*.txt' | wc -l > out.txt" } } }) });
  // Folders made once, not per file: creating 10,000 files is most of this test's time.
  for (let d = 0; d < 100; d++) mkdirSync(join(dir, `src/d${d}`), { recursive: true });
  for (let i = 0; i < 10_000; i++) writeFileSync(join(dir, `src/d${Math.floor(i / 100)}/f${i}.txt`), `file ${i}\n`);
  const first = await mity(dir, ["big"]);
  exits(t, first.run, 0, "first run");
  t.equal(readFileSync(join(dir, "out.txt"), "utf8").trim(), "10000");
  t.strictSame((await mity(dir, ["big"])).states, { big: "up-to-date" });
  writeFileSync(join(dir, "src/d42/f4242.txt"), "changed\n");
  t.equal(await why(t, dir, "big"), "big would run: input src/d42/f4242.txt changed\n");
});

t.test("a second run with nothing changed is up to date and runs no command", async (t) => {
  const dir = project(t, TASKS, { "sub/keep.txt": "x" });
  // Started from a subfolder: the state still goes beside the mityfile found above.
  const first = await mity(dir, ["build"], join(dir, "sub"));
  exits(t, first.run, 0, "first run");
  t.strictSame(first.states, { gen: "ok", build: "ok" });
  t.strictSame(first.ran, ["gen", "build"]);
  const second = await mity(dir, ["build"]);
  exits(t, second.run, 0, "second run");
  t.strictSame(second.states, { gen: "up-to-date", build: "up-to-date" });
  t.strictSame(second.reasons, { gen: UNCHANGED, build: UNCHANGED });
  t.strictSame(second.ran, []);
  t.match(second.events.at(-1), { event: "summary", state: "ok", counts: { ok: 0, "up-to-date": 2 } });
  t.strictSame(Object.keys(readState(dir).tasks).sort(), ["build", "gen"]);
  t.equal(readFileSync(join(dir, ".mity", ".gitignore"), "utf8"), "*\n", ".mity/ ignores itself in git");
  t.notOk(existsSync(join(dir, "sub", ".mity")));
});

t.test("changing one input makes its task run, then its dependents as the dep re-ran; --why names the file", async (t) => {
  const dir = project(t);
  await mity(dir, ["build"]);
  writeFileSync(join(dir, "src/b.txt"), "BETA\n");
  t.equal(await why(t, dir, "gen"), "gen would run: input src/b.txt changed\n");
  const after = await mity(dir, ["build"]);
  t.strictSame(after.states, { gen: "ok", build: "ok" });
  t.strictSame(after.ran, ["gen", "build"]);
  t.equal(readFileSync(join(dir, "out.txt"), "utf8"), "alpha\nBETA\n");
  t.equal(await why(t, dir, "gen"), `gen is up to date: ${UNCHANGED}\n`, "and up to date again after");
});

t.test("a new input file and a removed one are reasons to run too", async (t) => {
  const dir = project(t);
  await mity(dir, ["gen"]);
  writeFileSync(join(dir, "src/c.txt"), "gamma\n");
  t.equal(await why(t, dir, "gen"), "gen would run: input src/c.txt is new\n");
  unlinkSync(join(dir, "src/a.txt"));
  t.equal(await why(t, dir, "gen"), "gen would run: input src/a.txt was removed\n", "a removal is named before a new file");
});

t.test("deleting or editing an output makes its task run; its dep stays up to date", async (t) => {
  const dir = project(t);
  await mity(dir, ["build"]);
  unlinkSync(join(dir, "out.txt"));
  t.equal(await why(t, dir, "build"), 'build would run: output out.txt is missing (outputs pattern "out.txt" matches no file)\n');
  const deleted = await mity(dir, ["build"]);
  t.strictSame([deleted.states, deleted.ran], [{ gen: "up-to-date", build: "ok" }, ["build"]]);
  t.equal(readFileSync(join(dir, "out.txt"), "utf8"), "alpha\nbeta\n");
  writeFileSync(join(dir, "out.txt"), "edited by hand\n");
  t.equal(await why(t, dir, "build"), "build would run: output out.txt changed\n");
  t.strictSame((await mity(dir, ["build"])).states, { gen: "up-to-date", build: "ok" });
  t.equal(readFileSync(join(dir, "out.txt"), "utf8"), "alpha\nbeta\n");
});

t.test("a dep without inputs or outputs runs every time, and so do its tracked dependents", async (t) => {
  const dir = project(t, {
    stamp: { run: "echo stamp >> ran.log" },
    use: { deps: ["stamp"], inputs: ["src/*.txt"], outputs: [], run: "echo use >> ran.log" },
  });
  await mity(dir, ["use"]);
  const second = await mity(dir, ["use"]);
  t.strictSame(second.states, { stamp: "ok", use: "ok" });
  t.strictSame(second.ran, ["stamp", "use"]);
  t.equal(await why(t, dir, "use"), 'use would run: dep "stamp" will run first\n');
});

t.test("changing a task's command text makes it run, and --why says the command changed", async (t) => {
  const dir = project(t);
  await mity(dir, ["build"]);
  const edited = { ...TASKS, build: { ...TASKS.build, run: "cp gen.txt out.txt  &&  echo build >> ran.log" } };
  writeFileSync(join(dir, "mityfile.ts"), jsonMityfile({ tasks: edited }));
  t.equal(await why(t, dir, "build"), "build would run: its command changed\n");
  t.strictSame((await mity(dir, ["build"])).states, { gen: "up-to-date", build: "ok" });
});

t.test("changing a task's env makes it run", async (t) => {
  const dir = project(t);
  await mity(dir, ["build"]);
  const edited = { ...TASKS, build: { ...TASKS.build, env: { MODE: "release" } } };
  writeFileSync(join(dir, "mityfile.ts"), jsonMityfile({ tasks: edited }));
  t.equal(await why(t, dir, "build"), "build would run: its env changed\n");
  writeFileSync(join(dir, "mityfile.ts"), jsonMityfile({ env: { CI_LEVEL: "2" }, tasks: edited }));
  t.equal(await why(t, dir, "gen"), "gen would run: its env changed\n", "the mityfile's env counts for every task");
});

t.test("changing the contents of a dotenv file makes the task run", async (t) => {
  const dir = project(t, { show: { dotenv: ".env", inputs: ["src/*.txt"], outputs: [], run: "echo $GREETING >> ran.log" } }, { ".env": "GREETING=hello\n" });
  await mity(dir, ["show"]);
  writeFileSync(join(dir, ".env"), "GREETING=bye\n");
  t.equal(await why(t, dir, "show"), "show would run: its dotenv files changed\n");
  t.strictSame((await mity(dir, ["show"])).ran, ["bye"]);
});

const WITH_PARAM = { show: { params: { mode: { type: "string", default: "dev" } }, inputs: ["src/*.txt"], outputs: [], run: "echo $MITY_PARAM_MODE >> ran.log" } };

t.test("another param value makes the task run", async (t) => {
  const dir = project(t, WITH_PARAM);
  t.strictSame((await mity(dir, ["show"])).ran, ["dev"]);
  t.strictSame((await mity(dir, ["show"])).states, { show: "up-to-date" }, "the default again");
  const prod = await mity(dir, ["show", "--mode", "prod"]);
  t.strictSame([prod.states, prod.ran], [{ show: "ok" }, ["prod"]]);
});

t.test(
  "--why and --dry-run of a task with a param default agree with the run",
  async (t) => {
    const dir = project(t, WITH_PARAM);
    await mity(dir, ["show"]);
    t.strictSame((await mity(dir, ["show"])).states, { show: "up-to-date" }, "the run");
    t.equal(await why(t, dir, "show"), `show is up to date: ${UNCHANGED}\n`, "--why");
    t.match((await runMity(["-n", "show"], { cwd: dir })).stdout, `up to date: ${UNCHANGED}`, "--dry-run");
  },
);

t.test("-B runs only the named task, its tracked dep stays up to date; --force-all runs both", async (t) => {
  const dir = project(t);
  await mity(dir, ["build"]);
  const forced = await mity(dir, ["-B", "build"]);
  exits(t, forced.run, 0, "-B");
  t.strictSame(forced.states, { gen: "up-to-date", build: "ok" });
  t.strictSame(forced.ran, ["build"]);
  const all = await mity(dir, ["--force-all", "build"]);
  exits(t, all.run, 0, "--force-all");
  t.strictSame(all.states, { gen: "ok", build: "ok" });
  t.strictSame(all.ran, ["gen", "build"]);
  t.strictSame((await mity(dir, ["build"])).states, { gen: "up-to-date", build: "up-to-date" }, "forcing leaves it up to date after");
});

t.test("a damaged state file is a warning, the run happens, and the state is valid after", async (t) => {
  const dir = project(t);
  await mity(dir, ["build"]);
  writeFileSync(join(dir, ".mity", "state.json"), '{"format":"mity-state","tasks":{"gen":');
  const damaged = await mity(dir, ["build"]);
  exits(t, damaged.run, 0, "run over a damaged state");
  t.equal(damaged.run.stderr, `mity: warning: ${join(dir, ".mity", "state.json")} is damaged; ignoring it, so every task runs (it is rewritten after this run)\n`);
  t.strictSame(damaged.states, { gen: "ok", build: "ok" });
  const state = readState(dir);
  t.strictSame([state.format, Object.keys(state.tasks).sort()], ["mity-state", ["build", "gen"]]);
  const next = await mity(dir, ["build"]);
  t.equal(next.run.stderr, "", "no warning once rewritten");
  t.strictSame(next.states, { gen: "up-to-date", build: "up-to-date" });
});

/** Two independent tracked tasks, for runs of two mity processes on one tree; `wait` is a command left runs first. */
const TWO = (wait: string) => ({
  left: { inputs: ["src/a.txt"], outputs: ["left.txt"], run: `${wait} cp src/a.txt left.txt` },
  right: { inputs: ["src/b.txt"], outputs: ["right.txt"], run: "cp src/b.txt right.txt" },
});

// Left finishes only once right's run has saved (at most 10 s): the saves overlap the other run, never each other.
const AFTER_RIGHT_SAVED = 'for i in $(seq 200); do grep -q \'"right"\' .mity/state.json 2>/dev/null && break; sleep 0.05; done;';

t.test("two mity processes on one tree at once both succeed, and the state holds both tasks", async (t) => {
  const dir = project(t, TWO(AFTER_RIGHT_SAVED));
  const [left, right] = await Promise.all([runMity(["left"], { cwd: dir }), runMity(["right"], { cwd: dir })]);
  exits(t, left, 0, "left");
  exits(t, right, 0, "right");
  t.notMatch(left.stderr + right.stderr, /warning/, "no warning");
  t.strictSame(Object.keys(readState(dir).tasks).sort(), ["left", "right"]);
  t.strictSame((await mity(dir, ["left", "right"])).states, { left: "up-to-date", right: "up-to-date" });
});

t.test(
  "two mity processes that save at the same moment keep both tasks, round after round",
  async (t) => {
    const dir = project(t, TWO(""));
    for (let round = 0; round < 12; round++) {
      rmSync(join(dir, ".mity", "state.json"), { force: true });
      const both = await Promise.all([runMity(["left"], { cwd: dir }), runMity(["right"], { cwd: dir })]);
      t.strictSame(both.map((run) => run.code), [0, 0]);
      t.strictSame(Object.keys(readState(dir).tasks).sort(), ["left", "right"], `round ${round + 1}`);
    }
  },
);

t.test("--dry-run says per task what would run and why, and runs nothing", async (t) => {
  const dir = project(t, { ...TASKS, stamp: { run: "echo stamp >> ran.log" }, all: { deps: ["build", "stamp"] } });
  await mity(dir, ["all"]);
  writeFileSync(join(dir, "out.txt"), "edited\n");
  const state = readFileSync(join(dir, ".mity", "state.json"), "utf8");
  rmSync(join(dir, "ran.log"), { force: true });
  const run = await runMity(["--dry-run", "all"], { cwd: dir });
  exits(t, run, 0, "--dry-run");
  t.strictSame(run.stdout.split("\n"), [
    "Dry run: 3 tasks would run, 1 up to date (in this order, except that deps of tasks marked concurrent may overlap); nothing is run.",
    "1. gen    $ cat src/*.txt > gen.txt && echo gen >> ran.log",
    `          up to date: ${UNCHANGED}`,
    "2. build  $ cp gen.txt out.txt && echo build >> ran.log  after gen",
    "          runs: output out.txt changed",
    "3. stamp  $ echo stamp >> ran.log",
    "          runs: it declares no inputs or outputs, so it always runs",
    "4. all    (group: only its deps)  after build, stamp",
    "          runs: it is a group: it only waits for its deps",
    "",
  ]);
  t.strictSame(readLog(join(dir, "ran.log")), [], "no command ran");
  t.equal(readFileSync(join(dir, "out.txt"), "utf8"), "edited\n");
  t.equal(readFileSync(join(dir, ".mity", "state.json"), "utf8"), state, "the state is untouched");
  const forced = await runMity(["-n", "--force-all", "build"], { cwd: dir });
  t.match(forced.stdout, /1\. gen .*\n\s+runs: it is forced \(-B \/ --force-all\)\n2\. build .*\n\s+runs: it is forced/);
});

t.test("patterns that match no file are reported on the task's stderr, and by --why", async (t) => {
  const dir = project(t, { docs: { inputs: ["src/*.txt", "docs/**/*.md"], outputs: ["site/*.html"], run: "echo docs >> ran.log" } });
  const run = await mity(dir, ["docs"]);
  exits(t, run.run, 0);
  const notes = run.events.filter((e) => e.event === "output").map((e) => [e.task, e.stream, e.line]);
  t.strictSame(notes, [
    ["docs", "stderr", 'mity: inputs pattern "docs/**/*.md" matches no file'],
    ["docs", "stderr", 'mity: outputs pattern "site/*.html" matches no file'],
  ]);
  t.equal(await why(t, dir, "docs"), 'docs would run: none of its outputs exist (inputs pattern "docs/**/*.md", outputs pattern "site/*.html" match no file)\n');
});

t.test("a task that rewrites its own inputs (a formatter) is up to date on the next run", async (t) => {
  const dir = project(t, {
    fmt: { inputs: ["src/*.txt"], outputs: ["src/*.txt"], run: "for f in src/*.txt; do tr a-z A-Z < $f > $f.tmp && mv $f.tmp $f; done; echo fmt >> ran.log" },
  });
  t.strictSame((await mity(dir, ["fmt"])).ran, ["fmt"]);
  t.equal(readFileSync(join(dir, "src/a.txt"), "utf8"), "ALPHA\n");
  t.strictSame((await mity(dir, ["fmt"])).states, { fmt: "up-to-date" });
  writeFileSync(join(dir, "src/b.txt"), "new beta\n");
  t.strictSame((await mity(dir, ["fmt"])).states, { fmt: "ok" }, "an edit makes it run again");
});

t.test(
  "mity's own .mity/ folder is not an input, even of a glob that would match it",
  async (t) => {
    const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { check: { inputs: ["**/*.json"], outputs: [], run: "true" } } }), "package.json": "{}" });
    await mity(dir, ["check"]);
    t.equal(await why(t, dir, "check"), `check is up to date: ${UNCHANGED}\n`);
    t.strictSame((await mity(dir, ["check"])).states, { check: "up-to-date" });
  },
);

t.test(
  "--why and --dry-run warn about a damaged state file, as a run does",
  async (t) => {
    const dir = project(t);
    await mity(dir, ["build"]);
    writeFileSync(join(dir, ".mity", "state.json"), "{damaged");
    for (const option of ["--why", "--dry-run"]) {
      const run = await runMity([option, "build"], { cwd: dir });
      t.match(run.stderr, /^mity: warning: .*state\.json is damaged/, option);
    }
  },
);

t.test(
  "--why agrees with the run for a task whose dep is a group of up-to-date tasks",
  async (t) => {
    const dir = project(t, { ...TASKS, gens: { deps: ["gen"] }, via: { deps: ["gens"], inputs: ["gen.txt"], outputs: ["via.txt"], run: "cp gen.txt via.txt" } });
    await mity(dir, ["via"]);
    t.equal((await mity(dir, ["via"])).states.via, "up-to-date", "the run");
    t.equal(await why(t, dir, "via"), `via is up to date: ${UNCHANGED}\n`, "--why");
  },
);

t.test("a task whose dep is a group runs again when a task of that group ran again", async (t) => {
  const tasks = { ...TASKS, gens: { deps: ["gen"] }, via: { deps: ["gens"], inputs: ["src/a.txt"], outputs: ["via.txt"], run: "echo via > via.txt && echo via >> ran.log" } };
  const dir = project(t, tasks);
  await mity(dir, ["via"]);
  t.equal((await mity(dir, ["via"])).states.via, "up-to-date", "nothing changed");
  writeFileSync(join(dir, "src", "b.txt"), "beta, changed\n");
  const again = await mity(dir, ["via"]);
  t.equal(again.states.gen, "ok", "gen ran: its input changed");
  t.equal(again.states.via, "ok", "via ran: the group it depends on has a new fingerprint");
  t.equal((await mity(dir, ["via"])).states.via, "up-to-date", "and is up to date after that");
});

t.test("a run killed (SIGKILL) while a later task runs keeps the tasks that had finished", async (t) => {
  const dir = project(t, { ...TASKS, hang: { deps: ["build"], run: "echo $$ > hang.pid; exec sleep 300" } });
  const live = startMity(["hang"], dir);
  t.teardown(() => live.child.kill("SIGKILL"));
  await live.waitFor(/hang\]\s+started/);
  // Successes reach .mity/state.journal within moments of ending; wait for both rather than for a time.
  const journal = join(dir, ".mity", "state.journal");
  for (let i = 0; i < 200 && !/"build"/.test(existsSync(journal) ? readFileSync(journal, "utf8") : ""); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  live.child.kill("SIGKILL");
  await live.exited;
  // Nobody stopped the killed run's task: it is stopped here.
  for (let i = 0; i < 200 && !existsSync(join(dir, "hang.pid")); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  process.kill(Number(readFileSync(join(dir, "hang.pid"), "utf8")), "SIGKILL");
  const next = await mity(dir, ["build"]);
  exits(t, next.run, 0);
  t.strictSame(next.states, { gen: "up-to-date", build: "up-to-date" }, "what finished before the kill is remembered");
  t.equal(next.run.stderr, "");
  t.strictSame(Object.keys(readState(dir).tasks).sort(), ["build", "gen"], "and folded into the state file");
});

t.test("a state file of the wrong shape (tasks: []) warns once naming it, and is healed", async (t) => {
  const dir = project(t);
  mkdirSync(join(dir, ".mity"));
  writeFileSync(join(dir, ".mity", "state.json"), '{"format":"mity-state","version":1,"tasks":[]}');
  const first = await mity(dir, ["build"]);
  t.match(first.run.stderr, `${join(dir, ".mity", "state.json")} is not a mity state file`);
  const second = await mity(dir, ["build"]);
  t.equal(second.run.stderr, "", "no warning the next time");
  t.strictSame(second.states, { gen: "up-to-date", build: "up-to-date" });
});

/** Mounts a read-only view of `dir` (as root, with a bind mount); undefined where that cannot be done. */
function readOnlyView(t: Test, dir: string): string | undefined {
  const view = mkdtempSync(join(tmpdir(), "mity-ro-"));
  const mount = (...args: string[]) => spawnSync("mount", args, { stdio: "ignore" }).status === 0;
  if (!mount("--bind", dir, view) || !mount("-o", "remount,ro,bind", view)) {
    spawnSync("umount", [view]);
    rmSync(view, { recursive: true, force: true });
    return undefined;
  }
  t.teardown(() => {
    spawnSync("umount", [view]);
    rmSync(view, { recursive: true, force: true });
  });
  return view;
}

t.test("a read-only checkout keeps its state in the temp folder, saying so once", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { check: { inputs: ["src/*.txt"], run: "echo checked" } } }), "src/a.txt": "a\n" });
  const view = readOnlyView(t, dir);
  if (!view) return t.pass("no read-only bind mount here (it needs root): nothing to check");
  const first = await runMity(["check", "--output", "json"], { cwd: view });
  exits(t, first, 0, "first run");
  const [, fallback] = /keeps this project's state in (\S+) instead/.exec(first.stderr) ?? [];
  t.teardown(() => fallback && rmSync(fallback, { recursive: true, force: true }));
  t.equal(first.stderr, `mity: warning: ${view} cannot be written (read-only file system); mity keeps this project's state in ${fallback} instead\n`);
  const second = await runMity(["check", "--output", "json"], { cwd: view });
  exits(t, second, 0, "second run");
  t.equal(second.stderr, "", "said once");
  t.match(endsByTask(events(second.stdout)).get("check"), { state: "up-to-date" });
});
