import t from "tap";
import { describeChange, describeReady } from "../../lib/report/watch-lines.js";

t.test("a change names the paths (at most three) and what reruns", async (t) => {
  t.equal(describeChange({ event: "change", paths: ["src/a.ts"], tasks: ["build", "test"], time: 0 }), "src/a.ts changed: rerunning build, test");
  t.equal(
    describeChange({ event: "change", paths: ["a", "b", "c", "d", "e"], tasks: ["x"], time: 0 }),
    "a, b, c and 2 more changed: rerunning x",
  );
  t.equal(describeChange({ event: "change", paths: ["mityfile.ts"], tasks: ["x"], mityfile: true, time: 0 }), "mityfile.ts changed (mityfile loaded again): rerunning x");
});

t.test("a service's readiness says what made it ready", async (t) => {
  t.equal(describeReady({ event: "ready", task: "db", by: "port", detail: "127.0.0.1:5432", time: 1 }), "ready (port 127.0.0.1:5432)");
  t.equal(describeReady({ event: "ready", task: "db", by: "log", detail: "listening", time: 1 }), "ready (log: listening)");
});
