import t from "tap";
import { tempTree } from "../helpers/mity.js";
import { liveTerminal } from "../helpers/terminal.js";

t.test("Ctrl-C in the view says at once that mity is stopping and which tasks it waits for", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { default: "all", tasks: {
      stubborn: { run: "trap 'echo not-yet' TERM; echo ready; while true; do sleep 0.1; done" },
      quick: { run: "true" },
      later: { deps: ["quick"], run: "sleep 30" },
      all: { deps: ["stubborn", "later"] },
    } };`,
  });
  const live = liveTerminal(t, dir, "-p --grace 60");
  t.ok(await live.waitFor(/› ready/, 20_000), "the task is running");
  live.ctrlC();
  const screen = await live.waitFor(/stopping[^\n]*stubborn/, 15_000);
  t.ok(screen, `the view names the task it waits for, long before the grace period ends:\n${live.text().slice(-2000)}`);
  t.match(screen ?? "", /stubborn\s+stopping/, "the running row is marked");
  t.ok(await live.waitFor(/not-yet/, 10_000), "the view still shows the task's output while it stops");
  live.ctrlC();
  t.equal(await live.exitWithin(20_000), 130, "a second Ctrl-C kills at once");
  t.match(live.text(), /mity: SIGINT again: killing stubborn/, "and says so");
});
