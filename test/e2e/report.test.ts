import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { chromiumSkip, loadPage } from "../helpers/chromium.js";
import { exits } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";

const TASKS = 1000;

// A thousand tasks in ten layers (each needs the one ten places before it), and one that fails printing markup.
const bigMityfile = `const tasks = {};
for (let i = 0; i < ${TASKS - 1}; i++) tasks["t" + i] = { deps: i >= 10 ? ["t" + (i - 10)] : [], run: () => {} };
tasks.markup = { deps: ["t5"], run: "echo '<script>alert(1)</script> & <b>bold</b>'; exit 2" };
export default { tasks: { ...tasks, all: { deps: Object.keys(tasks) } } };
`;

t.test("--report writes one page of the last run (or -N, or an id) and prints its path", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { a: { run: "true" }, b: { deps: ["a"], run: "exit 1" } } };\n` });
  exits(t, await runMity(["a"], { cwd: dir }), 0);
  exits(t, await runMity(["b"], { cwd: dir }), 1);
  const last = await runMity(["--report"], { cwd: dir });
  exits(t, last, 0);
  const path = last.stdout.trim();
  t.match(path, /^\.mity\/reports\/\d{4}-.+\.html$/);
  t.match(readFileSync(join(dir, path), "utf8"), /Failed tasks \(1\)/, "the last run is the failed one");
  const before = await runMity(["--report", "-2"], { cwd: dir });
  exits(t, before, 0);
  const id = before.stdout.trim().replace(/^\.mity\/reports\/|\.html$/g, "");
  t.notMatch(readFileSync(join(dir, before.stdout.trim()), "utf8"), /Failed tasks/);
  exits(t, await runMity(["--report", id.slice(0, 30)], { cwd: dir }), 0, "an id, or its start");
  const missing = await runMity(["--report", "-3"], { cwd: dir });
  exits(t, missing, 2, "no third run");
  t.match(missing.stderr, /only 2 runs are recorded/);
  const none = await runMity(["--report", "nope"], { cwd: dir });
  exits(t, none, 2);
  t.match(none.stderr, /no recorded run has that id; "mity --runs" lists them/);
});

t.test("with nothing recorded, --report says so", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { a: { run: "true" } } };\n` });
  const result = await runMity(["--report"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /no run is recorded/);
});

t.test("the report of 1,000 tasks loads offline in a browser with no console message and shows every task", { skip: chromiumSkip }, async (t) => {
  const dir = tempTree(t, { "mityfile.ts": bigMityfile });
  exits(t, await runMity(["all", "-k"], { cwd: dir, timeoutMs: 120_000 }), 1);
  const made = await runMity(["--report"], { cwd: dir });
  exits(t, made, 0);
  const page = join(dir, made.stdout.trim());
  t.ok(statSync(page).size < 3_000_000, "the page stays small");
  const html = readFileSync(page, "utf8");
  t.notMatch(html, /<script|<link|<img|<iframe|@import|url\(["']?https?:|src=/i, "nothing to load, nothing to run");
  // The console detection itself is checked on a page that does write to it, in the same round.
  const noisy = join(dir, "noisy.html");
  writeFileSync(noisy, `<!doctype html><p>x</p><script>console.error("noisy page")</script>`);
  const [loaded, control] = await Promise.all([loadPage(page), loadPage(noisy)]);
  t.match(control.console.join("\n"), /noisy page/, "a console message is seen");
  t.strictSame(loaded.console, [], "no console message, no blocked load");
  const rows = [...loaded.dom.matchAll(/<tr class="s-([a-z-]+)"><td>\S+ ([^<\s]+)/g)].map((match) => [match[2], match[1]]);
  t.equal(rows.length, TASKS + 1, "a row per task");
  const states = new Map(rows as [string, string][]);
  for (let i = 0; i < TASKS - 1; i++) if (!states.has(`t${i}`)) t.fail(`t${i} is missing`);
  t.equal(states.get("markup"), "failed");
  t.equal(states.get("all"), "skipped");
  t.match(loaded.dom, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", "the failed task's output is shown as text");
  t.notMatch(loaded.dom, /<script/, "and runs nothing");
  t.equal([...loaded.dom.matchAll(/<g class="row /g)].length, TASKS + 1, "a timeline row per task");
  t.ok(existsSync(page));
});
