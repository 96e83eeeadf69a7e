import t from "tap";
import { tempTree } from "../helpers/mity.js";
import { lastFrame, liveTerminal } from "../helpers/terminal.js";

/** A mityfile of `count` tasks that `all` (the default) depends on; each runs the function `body`. */
function manyTasks(count: number, body = "async () => {}") {
  const names = Array.from({ length: count }, (_, i) => `t${i}`);
  return `const run = ${body};
const names = ${JSON.stringify(names)};
export default { default: "all", tasks: { ...Object.fromEntries(names.map((name) => [name, { run }])), all: { deps: names } } };`;
}

t.test("500 tasks in parallel finish in a terminal, and the view stays within its height", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": manyTasks(500) });
  const live = liveTerminal(t, dir, "-p");
  t.equal(await live.exitWithin(30_000), 0, "mity ends (it used to draw the view forever)");
  t.match(live.text(), /✔ mity: ok · 501 ok/);
  const frame = lastFrame(live.raw());
  t.match(frame.at(-1), /… \d+ more finished/, "what does not fit is folded into one line");
  t.ok(frame.length <= 30, `the last frame fits the terminal's 30 rows (${frame.length} lines)`);
});

for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
  t.test(`${signal} during 500 running tasks in a terminal ends the run with ${code}`, async (t) => {
    const dir = tempTree(t, { "mityfile.ts": manyTasks(500, "() => new Promise((resolve) => setTimeout(resolve, 60_000))") });
    const live = liveTerminal(t, dir, "-p -j 500");
    t.ok(await live.waitFor(/more running/, 20_000), "the view is up, with what does not fit folded");
    live.signal(signal);
    t.equal(await live.exitWithin(20_000), code, `mity heard ${signal}`);
  });
}
