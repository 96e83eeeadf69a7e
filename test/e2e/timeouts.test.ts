import t from "tap";
import { events, runMity, tempTree } from "../helpers/mity.js";

t.jobs = 2;

t.test("a timeout of 600 hours lets a short task finish", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      shell: { timeout: "600h", run: "sleep 0.2; echo shell done" },
      fn: { timeout: 600 * 3_600_000, run: async ({ log }) => { await new Promise((r) => setTimeout(r, 200)); log("fn done"); } },
    } };`,
  });
  const result = await runMity(["--output", "json", "-p", "shell", "fn"], { cwd: dir });
  const ends = events(result.stdout).filter((event) => event.event === "end");
  t.same(ends.map((event) => [event.task, event.state]).sort(), [["fn", "ok"], ["shell", "ok"]], result.stdout);
  t.notMatch(result.stderr, /TimeoutOverflowWarning/);
  t.equal(result.code, 0);
});

t.test("a timeout too long to be a number is refused with exit 2, naming file, task and field", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { build: { timeout: "1${"0".repeat(400)}h", run: "true" } } };` });
  const result = await runMity(["build"], { cwd: dir });
  t.equal(result.code, 2);
  t.match(result.stderr, /mityfile\.ts: task "build", field "timeout": .*too long/);
});
