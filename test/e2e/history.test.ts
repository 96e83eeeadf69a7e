import { chmodSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { taskRecords } from "../../lib/history/task-columns.js";
import { exits, jsonMityfile } from "../helpers/fixtures.js";
import { startMity } from "../helpers/live.js";
import { runMity, tempTree } from "../helpers/mity.js";

t.jobs = 3;

interface Record {
  id: string;
  startedAt: number;
  state: string;
  asked: { tasks: string[]; options: string[] };
  revision?: string;
  version: string;
  tasks: { name: string; state: string; start?: number; end?: number; exitCode?: number; reason?: string; tail?: string[]; deps: string[] }[];
}

const runsDir = (dir: string) => join(dir, ".mity", "runs");
/** The kept runs, oldest first, a record per task (the file keeps them in columns). */
const records = (dir: string): Record[] =>
  readdirSync(runsDir(dir))
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(runsDir(dir), name), "utf8")))
    .map((stored) => ({ ...stored, tasks: taskRecords(stored.tasks) }) as Record);

const project = {
  "mityfile.ts": jsonMityfile({
    tasks: {
      build: { run: "echo building" },
      test: { deps: ["build"], run: "echo testing" },
      broken: { deps: ["build"], run: "for i in $(seq 1 300); do echo line $i; done; exit 4" },
    },
  }),
};

t.test("each run that starts a task is kept: tasks, states, times, exit codes, deps, and a failed task's last lines", async (t) => {
  const dir = tempTree(t, project);
  exits(t, await runMity(["test", "-j2"], { cwd: dir }), 0);
  exits(t, await runMity(["broken"], { cwd: dir }), 1);
  exits(t, await runMity(["--list"], { cwd: dir }), 0, "a listing");
  const [first, second] = records(dir);
  t.equal(records(dir).length, 2, "the listing left no record");
  t.strictSame(first!.asked, { tasks: ["test"], options: ["-j2"] });
  t.equal(first!.state, "ok");
  t.match(first!.version, /^\d+\.\d+\.\d+/);
  const test = first!.tasks.find((task) => task.name === "test")!;
  const build = first!.tasks.find((task) => task.name === "build")!;
  t.match(test, { state: "ok", exitCode: 0, deps: ["build"] });
  t.ok(test.start! >= build.end!, "test started after build ended");
  t.ok(Math.abs(first!.startedAt + test.start! - Date.now()) < 60_000, "the run's start plus a task's is its wall-clock time");
  t.equal(second!.state, "failed");
  const broken = second!.tasks.find((task) => task.name === "broken")!;
  t.match(broken, { state: "failed", exitCode: 4 });
  t.equal(broken.tail!.length, 200, "the last 200 lines are kept");
  t.equal(broken.tail!.at(-1), "line 300");
});

t.test("the last 100 runs are kept: the oldest goes", async (t) => {
  const dir = tempTree(t, project);
  mkdirSync(runsDir(dir), { recursive: true });
  // 100 earlier runs, older than any run made now.
  for (let i = 0; i < 100; i++) writeFileSync(join(runsDir(dir), `2000-01-01T00-00-00-${String(i).padStart(3, "0")}Z-1.json`), "{}");
  exits(t, await runMity(["build"], { cwd: dir }), 0);
  const names = readdirSync(runsDir(dir)).sort();
  t.equal(names.length, 100);
  t.notOk(names.includes("2000-01-01T00-00-00-000Z-1.json"), "the oldest is removed");
  t.ok(names.includes("2000-01-01T00-00-00-001Z-1.json"), "the next one is kept");
  t.match(names.at(-1), /^20\d\d-/, "this run is kept");
});

t.test("the git revision is kept when the project is a repository", async (t) => {
  const dir = tempTree(t, project);
  const { execFileSync } = await import("node:child_process");
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, encoding: "utf8" }).trim();
  git("init", "-q");
  git("add", "mityfile.ts");
  git("commit", "-qm", "start");
  exits(t, await runMity(["build"], { cwd: dir }), 0);
  t.equal(records(dir)[0]!.revision, git("rev-parse", "HEAD"));
});

t.test("--runs lists runs newest first; --json gives them as data", async (t) => {
  const dir = tempTree(t, project);
  exits(t, await runMity(["build"], { cwd: dir }), 0);
  exits(t, await runMity(["broken", "-k"], { cwd: dir }), 1);
  const text = await runMity(["--runs"], { cwd: dir });
  exits(t, text, 0);
  const lines = text.stdout.trim().split("\n");
  t.match(lines[0], /when\s+result\s+took\s+asked/);
  t.match(lines[1], /^-1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+failed\s+\S+\s+broken --keep-going/);
  t.match(lines[2], /^-2\s+.*\s+ok\s+\S+\s+build/);
  const json = await runMity(["--runs", "--json"], { cwd: dir });
  const list = JSON.parse(json.stdout) as { state: string; asked: { tasks: string[] } }[];
  t.strictSame(list.map((run) => [run.state, run.asked.tasks]), [["failed", ["broken"]], ["ok", ["build"]]]);
});

t.test("--runs <task>: its recent outcomes and p50/p95 of its successful durations", async (t) => {
  const dir = tempTree(t, project);
  mkdirSync(runsDir(dir), { recursive: true });
  // Twenty known runs of build: 100, 200, ... 2000 ms, and one failure that does not count.
  for (let i = 1; i <= 21; i++) {
    const state = i === 21 ? "failed" : "ok";
    const record = { format: 1, id: `2020-01-01T00-00-${String(i).padStart(2, "0")}-000Z-1`, startedAt: Date.UTC(2020, 0, 1, 0, 0, i), asked: { tasks: ["build"], options: [] }, state, duration: i * 100, counts: {}, version: "0.1.0", tasks: [{ name: "build", state, deps: [], duration: i * 100, start: 0, end: i * 100 }] };
    writeFileSync(join(runsDir(dir), `${record.id}.json`), JSON.stringify(record));
  }
  const json = await runMity(["--runs", "build", "--json"], { cwd: dir });
  exits(t, json, 0);
  const history = JSON.parse(json.stdout) as { p50: number; p95: number; ok: number; outcomes: { state: string; duration: number }[] };
  t.equal(history.p50, 1000);
  t.equal(history.p95, 1900);
  t.equal(history.ok, 20);
  t.equal(history.outcomes.length, 21);
  t.match(history.outcomes[0], { state: "failed", duration: 2100 }, "newest first");
  const text = await runMity(["--runs", "build"], { cwd: dir });
  t.match(text.stdout, /^build: 21 recorded runs; p50 1\.00s, p95 1\.90s \(of 20 successful\)/);
  const unknown = await runMity(["--runs", "biuld"], { cwd: dir });
  exits(t, unknown, 2, "an unknown task");
  t.match(unknown.stderr, /task "biuld" does not exist in .*mityfile\.ts\. Did you mean "build"/);
});

t.test("an interrupted run is kept too, with its running task cancelled", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { slow: { run: "echo started; sleep 30" } } }) });
  const live = startMity(["slow"], dir);
  await live.waitFor(/started/);
  live.child.kill("SIGINT");
  const end = await live.exited;
  t.equal(end.code, 130);
  const [record] = records(dir);
  t.equal(record?.state, "interrupted");
  t.match(record?.tasks, [{ name: "slow", state: "cancelled" }]);
});

t.test("a secret value reaches no record: not in output lines, a reason or a command", async (t) => {
  const secret = "hc-93be01c4d7";
  const dir = tempTree(t, {
    "mityfile.ts": jsonMityfile({ tasks: { leak: { dotenv: ".env", run: `echo "token=$HCLOUD_TOKEN"; echo using ${secret}; exit 3` } } }),
    ".env": `HCLOUD_TOKEN=${secret}\n`,
  });
  exits(t, await runMity(["leak", "--", secret], { cwd: dir }), 1);
  const text = readdirSync(runsDir(dir)).map((name) => readFileSync(join(runsDir(dir), name), "utf8")).join("");
  t.match(text, /token=\*\*\*/, "the output line is kept, masked");
  t.notMatch(text, secret);
});

t.test("a project that cannot be written keeps its runs in mity's temp folder", { skip: process.getuid?.() === 0 ? "root can write anywhere" : false }, async (t) => {
  const dir = tempTree(t, project);
  const tmp = join(dir, ".home", "tmp");
  mkdirSync(tmp, { recursive: true });
  chmodSync(dir, 0o555);
  t.teardown(() => chmodSync(dir, 0o755));
  exits(t, await runMity(["build"], { cwd: dir, env: { TMPDIR: tmp } }), 0);
  const runs = await runMity(["--runs", "--json"], { cwd: dir, env: { TMPDIR: tmp } });
  exits(t, runs, 0);
  t.equal((JSON.parse(runs.stdout) as unknown[]).length, 1);
});
