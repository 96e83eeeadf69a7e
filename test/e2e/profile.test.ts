import t from "tap";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exits } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";

t.jobs = 2;

const mityfile = `export default { tasks: {
  a: { run: "sleep 0.3" },
  b: { run: "sleep 0.3" },
  c: { run: "sleep 0.1" },
  d: { deps: ["a"], run: "echo d; exit 2" },
  all: { deps: ["b", "c", "d"] },
} };
`;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

/** The file as a trace viewer reads it: Chrome's JSON object format. */
function readProfile(file: string): TraceEvent[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: TraceEvent[] };
  t.ok(Array.isArray(profile.traceEvents), "an object with traceEvents");
  for (const event of profile.traceEvents) {
    const fine = typeof event.name === "string" && ["X", "M", "i"].includes(event.ph) && Number.isInteger(event.pid) && Number.isInteger(event.tid) && (event.ph === "M" || (Number.isFinite(event.ts) && event.ts! >= 0));
    if (!fine) t.fail(`not a trace event: ${JSON.stringify(event)}`);
    if (event.ph === "X" && !(event.dur! >= 0)) t.fail(`a complete event without a duration: ${JSON.stringify(event)}`);
  }
  return profile.traceEvents;
}

t.test("--profile writes the run as trace events: a track per slot, each task once, the waits for a slot, named tracks", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["-p", "-j2", "-k", "all", "--profile", "out/run.json"], { cwd: dir });
  t.notOk(existsSync(join(dir, "out", "run.json")), "a folder that does not exist is not made");
  exits(t, result, 1);
  t.match(result.stderr, /mity: warning: could not write the profile to .*run\.json: ENOENT/, "it says so, and the run's exit code stays");

  const ok = await runMity(["-p", "-j2", "-k", "all", "--profile", "run.json"], { cwd: dir });
  exits(t, ok, 1);
  const events = readProfile(join(dir, "run.json"));
  const tasks = events.filter((event) => event.ph === "X" && event.cat?.startsWith("task"));
  t.strictSame(tasks.map((event) => event.name).sort(), ["a", "b", "c", "d"], "every task that started, once (all was skipped)");
  t.match(tasks.find((event) => event.name === "d")?.args, { state: "failed", exitCode: 2 });
  const slots = new Set(tasks.map((event) => event.tid));
  t.ok(slots.size <= 2 && slots.size >= 1, "no more tracks than -j");
  for (const tid of slots) {
    const onTrack = tasks.filter((event) => event.tid === tid).sort((x, y) => x.ts! - y.ts!);
    for (let i = 1; i < onTrack.length; i++) t.ok(onTrack[i]!.ts! >= onTrack[i - 1]!.ts! + onTrack[i - 1]!.dur!, `slot ${tid}: ${onTrack[i - 1]!.name} ends before ${onTrack[i]!.name} starts`);
  }
  const waits = events.filter((event) => event.cat === "wait");
  t.ok(waits.some((event) => /^[abc] waits for a slot$/.test(event.name)), "three tasks ready at once for two slots: one waited");
  const threadNames = events.filter((event) => event.name === "thread_name").map((event) => String(event.args?.name));
  t.ok(threadNames.includes("slot 1") && threadNames.includes("waiting 1"), `tracks are named: ${threadNames.join(", ")}`);
  t.ok(events.some((event) => event.name === "process_name" && event.args?.name === "mity all"));
});

t.test("without --profile no file is written", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  exits(t, await runMity(["c"], { cwd: dir }), 0);
  t.notOk(existsSync(join(dir, "run.json")));
});

t.test("--profile without a file name is a usage error", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["c", "--profile="], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, "--profile needs a file name");
});
