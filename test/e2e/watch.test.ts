import { writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { awaitNoSurvivors, startMity, survivors, uniqueMarker, type LiveMity } from "../helpers/live.js";
import type { Test } from "../helpers/fixtures.js";
import { liveTerminal } from "../helpers/terminal.js";
import { runMity, tempTree } from "../helpers/mity.js";

interface Event {
  event: string;
  task?: string;
  state?: string;
  reason?: string;
  line?: string;
  paths?: string[];
  tasks?: string[];
  mityfile?: boolean;
  time?: number;
}

/** The JSON events mity printed so far (stderr's `mity:` lines are left out). */
const eventsOf = (mity: LiveMity): Event[] =>
  mity.output().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Event);

/** Events of the `round`-th run (0: the first), each run ending with its summary. */
function round(mity: LiveMity, index: number): Event[] {
  const rounds: Event[][] = [[]];
  for (const event of eventsOf(mity)) {
    rounds.at(-1)!.push(event);
    if (event.event === "summary") rounds.push([]);
  }
  return rounds[index] ?? [];
}

const summaries = (mity: LiveMity) => eventsOf(mity).filter((event) => event.event === "summary").length;

/** Waits until `count` runs have ended (and the watcher is ready: the first run does not wait for it). */
async function runsEnded(mity: LiveMity, count: number, timeoutMs = 15_000): Promise<void> {
  await mity.waitFor(/mity: watching/, timeoutMs);
  const deadline = Date.now() + timeoutMs;
  while (summaries(mity) < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} runs, saw ${summaries(mity)}:\n${mity.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const started = (events: Event[]) => events.filter((event) => event.event === "start").map((event) => event.task).sort();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stop(t: Test, mity: LiveMity): Promise<void> {
  mity.child.kill("SIGINT");
  const { code } = await mity.exited;
  t.equal(code, 130, "Ctrl-C ends the watch with 130");
}

const PROJECT = {
  "mityfile.ts": `export default { tasks: {
    build: { inputs: ["src/**/*.ts"], run: "echo built" },
    test: { deps: ["build"], inputs: ["test/**/*.ts"], run: "echo tested" },
    lint: { inputs: ["lint.json"], run: "echo linted" },
  } };`,
  "src/a.ts": "a1",
  "test/a.test.ts": "t1",
  "lint.json": "{}",
};

t.test("a save reruns only the tasks whose inputs it touches, and their dependents", async (t) => {
  const dir = tempTree(t, PROJECT);
  const mity = startMity(["--watch", "test", "lint", "--output", "json"], dir);
  t.teardown(() => void mity.child.kill("SIGKILL"));
  await runsEnded(mity, 1);
  t.same(started(round(mity, 0)), ["build", "lint", "test"]);
  t.match(mity.output(), /mity: watching src for build; test for test; lint\.json for lint, and the mityfile/);

  writeFileSync(join(dir, "test/a.test.ts"), "t2");
  await runsEnded(mity, 2);
  const second = round(mity, 1);
  t.same(second[0], { event: "change", paths: ["test/a.test.ts"], tasks: ["test"], time: 0 }, "the run starts with what changed and what reruns");
  t.same(started(second), ["test"], "only test reruns");
  t.same(second.filter((event) => event.event === "end" && event.task === "build").map((event) => event.state), ["skipped"]);

  writeFileSync(join(dir, "src/a.ts"), "a2");
  await runsEnded(mity, 3);
  t.same(started(round(mity, 2)), ["build", "test"], "a source change reruns build and test, not lint");
  await stop(t, mity);
});

t.test("a burst of saves gives one rerun", async (t) => {
  const dir = tempTree(t, PROJECT);
  const mity = startMity(["--watch", "build", "--output", "json"], dir);
  t.teardown(() => void mity.child.kill("SIGKILL"));
  await runsEnded(mity, 1);
  for (let i = 0; i < 5; i++) {
    writeFileSync(join(dir, "src/a.ts"), `burst ${i}`);
    writeFileSync(join(dir, `src/b${i}.ts`), `burst ${i}`);
    await sleep(10);
  }
  await runsEnded(mity, 2);
  await sleep(1000);
  t.equal(summaries(mity), 2, "one rerun for the burst");
  const change = round(mity, 1)[0]!;
  t.equal(change.event, "change");
  t.same([...change.paths!].sort(), ["src/a.ts", "src/b0.ts", "src/b1.ts", "src/b2.ts", "src/b3.ts", "src/b4.ts"]);
  await stop(t, mity);
});

t.test("prefix output says what changed and what reruns", async (t) => {
  const dir = tempTree(t, PROJECT);
  const mity = startMity(["--watch", "test"], dir);
  t.teardown(() => void mity.child.kill("SIGKILL"));
  await mity.waitFor(/mity: watching[^]*waiting for changes|waiting for changes[^]*mity: watching/);
  writeFileSync(join(dir, "src/a.ts"), "a2");
  await mity.waitFor(/mity: src\/a\.ts changed: rerunning build, test\n/);
  await mity.waitFor(/\[test\]\s+ok[^]*waiting for changes[^]*waiting for changes/);
  await stop(t, mity);
});

t.test("an edited mityfile is loaded again; an invalid one is reported and the last good one goes on", async (t) => {
  const file = (word: string) => `export default { tasks: { say: { inputs: ["in.txt"], run: "echo said-${word}" } } };`;
  const dir = tempTree(t, { "mityfile.ts": file("one"), "in.txt": "1" });
  const mity = startMity(["--watch", "say", "--output", "json"], dir);
  t.teardown(() => void mity.child.kill("SIGKILL"));
  await runsEnded(mity, 1);
  writeFileSync(join(dir, "mityfile.ts"), file("two"));
  await runsEnded(mity, 2);
  const second = round(mity, 1);
  t.match(second[0], { event: "change", paths: ["mityfile.ts"], tasks: ["say"], mityfile: true });
  t.ok(second.some((event) => event.line === "said-two"), "the new definition runs");

  writeFileSync(join(dir, "mityfile.ts"), `export default { tasks: { say: { inputs: ["in.txt"], run: "echo x", colour: 1 } } };`);
  await mity.waitFor(/mityfile\.ts.*say.*colour[^]*the last good one goes on/);
  writeFileSync(join(dir, "in.txt"), "2");
  await runsEnded(mity, 3);
  t.ok(round(mity, 2).some((event) => event.line === "said-two"), "an input change runs the last good definition");

  writeFileSync(join(dir, "mityfile.ts"), "export default {{ syntax");
  await mity.waitFor(/mityfile\.ts[^]*the last good one goes on[^]*mityfile\.ts[^]*the last good one goes on/);
  t.equal(summaries(mity), 3, "an invalid mityfile runs nothing");
  await stop(t, mity);
});

t.test("a module the mityfile imports is watched as the mityfile is: an edit of it loads the mityfile again", async (t) => {
  const words = (word: string) => `export const word = "${word}";`;
  const dir = tempTree(t, {
    "mityfile.ts": `import { word } from "./tasks/words.ts";\nexport default { tasks: { say: { inputs: ["in.txt"], run: "echo said-" + word } } };`,
    "tasks/words.ts": words("one"),
    "in.txt": "1",
  });
  const mity = startMity(["--watch", "say", "--output", "json"], dir);
  t.teardown(() => void mity.child.kill("SIGKILL"));
  await runsEnded(mity, 1);
  t.match(mity.output(), /the mityfiles and the modules they import \(2 files\)/);
  writeFileSync(join(dir, "tasks", "words.ts"), words("two"));
  await runsEnded(mity, 2);
  const second = round(mity, 1);
  t.match(second[0], { event: "change", paths: [join("tasks", "words.ts")], tasks: ["say"], mityfile: true });
  t.ok(second.some((event) => event.line === "said-two"), "the edited module's value runs");
  await stop(t, mity);
});

t.test("a change stops a running affected task (no process of it left) and starts it again; others run on", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      serve: { inputs: ["src/*.ts"], run: "echo pid $$; sh -c 'sleep ${marker}1' & wait" },
      steady: { inputs: ["other.txt"], run: "echo steady; sleep ${marker}2" },
    } };`,
    "src/a.ts": "1",
    "other.txt": "1",
  });
  const mity = startMity(["--watch", "--parallel", "serve", "steady", "--output", "json"], dir);
  t.teardown(() => void mity.child.kill("SIGKILL"));
  const pids = () => eventsOf(mity).filter((event) => event.task === "serve" && event.line?.startsWith("pid ")).map((event) => Number(event.line!.slice(4)));
  await mity.waitFor(/"line":"pid \d+"[^]*"line":"steady"|"line":"steady"[^]*"line":"pid \d+"/);
  await mity.waitFor(/mity: watching/);
  const [first] = pids();
  // The sleeps themselves, not the shells whose command lines name them.
  const sleeps = (which: string) => survivors(`${marker}${which}`).filter((line) => / sleep \d+$/.test(line) && !line.includes("sh -c"));
  t.equal(sleeps("1").length, 1, "the first run's child runs");

  writeFileSync(join(dir, "src/a.ts"), "2");
  await mity.waitFor(/"line":"pid \d+"[^]*"line":"pid \d+"/);
  const [, second] = pids();
  t.not(second, first, "a new process");
  const change = eventsOf(mity).find((event) => event.event === "change")!;
  t.match(change, { paths: ["src/a.ts"], tasks: ["serve"] });
  const firstStart = eventsOf(mity).find((event) => event.event === "start")!;
  t.ok(change.time! > firstStart.time!, `a change told inside the running run has that run's time (${change.time} ms), not 0`);
  t.match(eventsOf(mity).find((event) => event.event === "end" && event.task === "serve"), { state: "cancelled", reason: "restarted: src/a.ts changed" });
  t.throws(() => process.kill(first!, 0), "the first run's shell is gone");
  t.equal(sleeps("1").length, 1, "only the new run's child is left");
  t.equal(eventsOf(mity).filter((event) => event.event === "start" && event.task === "steady").length, 1, "the unaffected task was left alone");
  t.equal(sleeps("2").length, 1, "and still runs");
  await stop(t, mity);
  t.same(await awaitNoSurvivors(marker), [], "nothing survives Ctrl-C");
});

t.test("a service stays up across reruns until its own inputs change", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      api: { service: true, inputs: ["server/*.ts"], ready: { log: "listening" }, run: "echo pid $$; echo listening; exec sleep ${marker}" },
      test: { deps: ["api"], inputs: ["test/*.ts"], run: "echo tested" },
    } };`,
    "server/main.ts": "1",
    "test/a.ts": "1",
  });
  const mity = startMity(["--watch", "test", "--output", "json"], dir);
  t.teardown(() => void mity.child.kill("SIGKILL"));
  const pids = () => eventsOf(mity).filter((event) => event.task === "api" && event.line?.startsWith("pid ")).map((event) => Number(event.line!.slice(4)));
  await runsEnded(mity, 1);
  const [first] = pids();
  t.doesNotThrow(() => process.kill(first!, 0), "up after the first run");

  writeFileSync(join(dir, "test/a.ts"), "2");
  await runsEnded(mity, 2);
  t.ok(round(mity, 1).some((event) => event.line === "tested"), "the tests ran again");
  t.same(pids(), [first], "against the same service");
  t.match(round(mity, 1).find((event) => event.task === "api" && event.event === "end"), { state: "skipped" });

  writeFileSync(join(dir, "server/main.ts"), "2");
  await runsEnded(mity, 3);
  t.equal(pids().length, 2, "a change to its own inputs starts it again");
  t.throws(() => process.kill(first!, 0), "the old one is gone");
  t.ok(round(mity, 2).some((event) => event.line === "tested"), "and its dependents run again");
  await stop(t, mity);
  t.same(await awaitNoSurvivors(marker), [], "Ctrl-C stops the service");
});

t.test("Ctrl-C while a task runs: exit 130 and nothing left running", async (t) => {
  const marker = uniqueMarker();
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { long: { inputs: ["in.txt"], run: "echo going; sleep ${marker}" } } };`, "in.txt": "1" });
  const mity = startMity(["--watch", "long"], dir);
  t.teardown(() => void mity.child.kill("SIGKILL"));
  await mity.waitFor(/\[long\] going/);
  t.ok(survivors(marker).length > 0, "the task runs");
  await stop(t, mity);
  t.same(await awaitNoSurvivors(marker, 3000), [], "nothing survives");
});

t.test("nothing to watch: exit 2 naming the tasks and saying to declare inputs", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { a: { run: "true" }, b: { deps: ["a"], run: "true" } } };` });
  const result = await runMity(["--watch", "b"], { cwd: dir });
  t.equal(result.code, 2);
  t.match(result.stderr, /nothing to watch: none of a, b declares inputs/);
  t.equal(result.stdout, "", "nothing ran");
});

t.test("in a terminal, the live view says why each run happens and Ctrl-C ends the watch", async (t) => {
  const dir = tempTree(t, PROJECT);
  const term = liveTerminal(t, dir, "--watch test");
  t.ok(await term.waitFor(/mity: watching[^]*✔ mity: ok|✔ mity: ok[^]*mity: watching/, 15_000), "the first run ends and the watcher is ready");
  writeFileSync(join(dir, "src/a.ts"), "a2");
  t.ok(await term.waitFor(/mity: src\/a\.ts changed: rerunning build, test[^]*✔ mity: ok/, 15_000), term.text());
  term.ctrlC();
  t.equal(await term.exitWithin(10_000), 130);
});
