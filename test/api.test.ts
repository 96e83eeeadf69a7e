import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { askedOptions, run } from "../lib/api.js";
import type { StoredRun } from "../lib/history/run-record.js";
import { taskRecords } from "../lib/history/task-columns.js";
import { jsonMityfile } from "./helpers/fixtures.js";
import { tempTree } from "./helpers/mity.js";

const project = { "mityfile.ts": jsonMityfile({ tasks: { build: { run: "echo building" }, broken: { deps: ["build"], run: "exit 3" } } }) };
const runsDir = (dir: string) => join(dir, ".mity", "runs");
const stored = (dir: string): StoredRun[] =>
  readdirSync(runsDir(dir))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(runsDir(dir), name), "utf8")) as StoredRun);

t.test("a run started from code is kept in the history, as the command line's are", async (t) => {
  const dir = tempTree(t, project);
  const result = await run("broken", { cwd: dir, keepGoing: true, concurrency: 2 });
  t.equal(result.state, "failed");
  const [record] = stored(dir);
  t.match(record, { format: 2, state: "failed", asked: { tasks: ["broken"], options: ["-j2", "--keep-going"] } });
  t.match(record!.version, /^\d+\.\d+\.\d+/);
  t.match(taskRecords(record!.tasks), [
    { name: "build", state: "ok", exitCode: 0 },
    { name: "broken", state: "failed", exitCode: 3, deps: ["build"] },
  ]);
});

t.test("history: false keeps nothing; an id and options given name the record", async (t) => {
  const dir = tempTree(t, project);
  await run("build", { cwd: dir, history: false });
  t.notOk(existsSync(runsDir(dir)), "no record");
  await run("build", { cwd: dir, history: { id: "2026-12-07T10-00-00-000Z-1", options: ["--hook pre-commit"] } });
  t.strictSame(readdirSync(runsDir(dir)), ["2026-12-07T10-00-00-000Z-1.json"]);
  t.strictSame(stored(dir)[0]!.asked, { tasks: ["build"], options: ["--hook pre-commit"] });
});

t.test("a record that cannot be written is a warning, and the run's result stands", async (t) => {
  const dir = tempTree(t, { ...project, ".mity/runs": "a file where the folder would be" });
  const warnings: string[] = [];
  const result = await run("build", { cwd: dir, onWarning: (message) => warnings.push(message) });
  t.equal(result.state, "ok");
  t.match(warnings, [/^the run could not be kept in the history \(E[A-Z]+\)$/]);
});

t.test("settings are told as the options that would ask for them", async (t) => {
  t.strictSame(askedOptions({}), []);
  t.strictSame(askedOptions({ parallel: true, concurrency: 4, keepGoing: true, failFast: false, force: ["a"] }), ["--parallel", "-j4", "--keep-going", "--force"]);
  t.strictSame(askedOptions({ force: "all" }), ["--force-all"]);
});
