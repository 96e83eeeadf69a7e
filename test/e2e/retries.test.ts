import t from "tap";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { endsByTask, exits } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

t.jobs = 2;

// Counts its runs in a file: fails until the count reaches $PASS_AT, and says which run it is.
const counted = 'n=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); echo $n > count; echo "run $n"; [ $n -ge "$PASS_AT" ]';

const mityfile = `export default {
  tasks: {
    flaky: { retries: 1, env: { PASS_AT: "2" }, run: ${JSON.stringify(counted)} },
    broken: { retries: 2, env: { PASS_AT: "99" }, run: ${JSON.stringify(counted)} },
    after: { deps: ["flaky"], run: "echo after" },
  },
};
`;

t.test("a command that fails the first time and succeeds the second: the task is ok, both attempts shown", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "after"], { cwd: dir });
  exits(t, result, 0);
  const list = events(result.stdout);
  t.strictSame(list.filter((e) => e.event === "start" && e.task === "flaky").map((e) => e.attempt), [1, 2]);
  t.match(endsByTask(list).get("flaky"), { state: "ok", attempt: 2 });
  const lines = list.filter((e) => e.event === "output" && e.task === "flaky").map((e) => e.line);
  t.strictSame(lines, ["run 1", `mity: attempt 1 of 2 failed: exit code 1 from: ${counted}; running it again`, "run 2"], "the output of each attempt is kept");
  t.match(endsByTask(list).get("after"), { state: "ok" });
  t.equal(readFileSync(join(dir, "count"), "utf8").trim(), "2");
});

t.test("a task that fails every attempt fails after 1 + retries runs, and the reporter shows them", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["broken"], { cwd: dir });
  exits(t, result, 1);
  t.equal(readFileSync(join(dir, "count"), "utf8").trim(), "3");
  const shown = result.stdout + result.stderr;
  t.match(shown, /run 1[\s\S]*attempt 1 of 3 failed[\s\S]*run 2[\s\S]*attempt 2 of 3 failed[\s\S]*run 3/);
});

t.test("retries that are not a whole number stop the run before anything runs, naming file, task and field", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { flaky: { retries: "twice", run: "touch ran" } } };\n` });
  const result = await runMity(["flaky"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /mityfile\.ts: task "flaky", field "retries": must be a whole number of runs after a failed one, 0 or more, not "twice"/);
});
