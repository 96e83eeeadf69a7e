import t from "tap";
import { exits, jsonMityfile } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

t.jobs = 2;

const tree = () => ({
  "mityfile.ts": jsonMityfile({
    tasks: {
      build: { run: "echo build" },
      test: { deps: ["build"], run: "echo test" },
      deploy: { deps: ["test"], run: "echo deploy" },
    },
  }),
});
const started = (stdout: string) => events(stdout).filter((e) => e.event === "start").map((e) => e.task);

t.test("--no-deps runs the named task alone, written before or after it, and in a dry run", async (t) => {
  const dir = tempTree(t, tree());
  for (const args of [["--no-deps", "deploy"], ["deploy", "--no-deps"], ["-k", "--no-deps", "-v", "deploy"]]) {
    const result = await runMity(["--output", "json", ...args], { cwd: dir });
    exits(t, result, 0);
    t.strictSame(started(result.stdout), ["deploy"], args.join(" "));
  }
  const dry = await runMity(["-n", "--no-deps", "deploy"], { cwd: dir });
  exits(t, dry, 0);
  t.match(dry.stdout, /1 task would run/);
});

t.test("--no-deps keeps the order between named tasks that depend on each other", async (t) => {
  const dir = tempTree(t, tree());
  const result = await runMity(["--output", "json", "--parallel", "--no-deps", "test", "build"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(started(result.stdout), ["build", "test"]);
});
