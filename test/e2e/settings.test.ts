import t from "tap";
import { join } from "node:path";
import { exits, jsonMityfile } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

const mityfile = jsonMityfile({
  default: "all",
  tasks: { a: { run: "echo a" }, b: { run: "echo b" }, all: { deps: ["a", "b"] } },
});

/** Whether a run printed JSON events (the `output` setting) rather than prefixed lines. */
const printedJson = (stdout: string) => stdout.trimStart().startsWith("{");

t.test("a settings file beside the mityfile sets the defaults, in each of its forms", async (t) => {
  const forms: Record<string, string> = {
    ".mityrc": '{ "output": "json" }',
    ".mityrc.json": '{ "output": "json" }',
    ".mityrc.yaml": "output: json\n",
    ".mityrc.yml": "output: json\n",
    "mity.config.json": '{ "output": "json" }',
    "mity.config.yaml": "output: json\n",
    "mity.config.mjs": 'export default { output: "json" };\n',
    "mity.config.ts": 'const output: "json" = "json";\nexport default { output };\n',
    "package.json": JSON.stringify({ name: "x", mity: { output: "json" } }),
  };
  for (const [name, text] of Object.entries(forms)) {
    const dir = tempTree(t, { "mityfile.ts": mityfile, [name]: text, "sub/.keep": "" });
    const result = await runMity([], { cwd: join(dir, "sub") });
    exits(t, result, 0, name);
    t.ok(printedJson(result.stdout), `${name}: the run printed JSON events`, { stdout: result.stdout });
  }
});

t.test("the command line wins over the settings", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, ".mityrc.json": '{ "output": "json", "concurrency": 3, "parallel": true }' });
  const typed = await runMity(["--output", "prefix"], { cwd: dir });
  exits(t, typed, 0);
  t.match(typed.stdout, /^\[a\]/m, "--output prefix beats output: json");
  const dry = await runMity(["-n"], { cwd: dir });
  t.match(dry.stdout, /at most 3 at once/, "concurrency and parallel come from the settings");
  const dryTyped = await runMity(["-n", "-j", "1"], { cwd: dir });
  t.match(dryTyped.stdout, /at most 1 at once/, "-j 1 beats concurrency: 3");
  const serial = await runMity(["-n", "--no-parallel"], { cwd: dir });
  t.notMatch(serial.stdout, /at the same time/, "--no-parallel beats parallel: true");
});

t.test("keepGoing from the settings; --fail-fast on the command line replaces it", async (t) => {
  const tasks = { bad: { run: "exit 3" }, good: { deps: ["slow"], run: "echo good" }, slow: { run: "sleep 0.3" }, all: { deps: ["bad", "good"], concurrent: false } };
  const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ default: "all", tasks }), ".mityrc.json": '{ "keepGoing": true, "output": "json" }' });
  const kept = await runMity([], { cwd: dir });
  exits(t, kept, 1);
  const ends = (stdout: string) => Object.fromEntries(events(stdout).filter((e) => e.event === "end").map((e) => [e.task, e.state]));
  t.equal(ends(kept.stdout).good, "ok", "keepGoing: the task that does not depend on the failure still ran");
  const stopped = await runMity(["--fail-fast"], { cwd: dir });
  exits(t, stopped, 1);
  t.equal(ends(stopped.stdout).good, "skipped", "--fail-fast: no keep-going, and no conflict with the settings");
});

t.test("the person's settings in $XDG_CONFIG_HOME/mity apply where the project has none; the project's win", async (t) => {
  const dir = tempTree(t, { "project/mityfile.ts": mityfile, "other/mityfile.ts": mityfile, "other/.mityrc.json": '{ "output": "prefix" }', "xdg/mity/config.json": '{ "output": "json" }' });
  const env = { XDG_CONFIG_HOME: join(dir, "xdg") };
  const own = await runMity([], { cwd: join(dir, "project"), env });
  exits(t, own, 0);
  t.ok(printedJson(own.stdout), "the person's config.json", { stdout: own.stdout });
  const team = await runMity([], { cwd: join(dir, "other"), env });
  exits(t, team, 0);
  t.match(team.stdout, /^\[a\]/m, "the project's .mityrc.json");
});

t.test("a bad settings file: exit 2 naming the file and the key; nothing runs", async (t) => {
  const cases: [string, string, RegExp][] = [
    [".mityrc.json", '{ "concurency": 2 }', /\.mityrc\.json: field "concurency": not a setting .*Did you mean "concurrency"\?/],
    [".mityrc.json", '{ "concurrency": "two" }', /\.mityrc\.json: field "concurrency": must be a whole number of at least 1, not "two"/],
    [".mityrc.yaml", "output: fancy\n", /\.mityrc\.yaml: field "output": must be one of auto, tty, prefix, grouped, raw, json, not "fancy"/],
    [".mityrc.json", '{ "output": ', /\.mityrc\.json: not valid JSON/],
    [".mityrc.yaml", "output: [json\n", /\.mityrc\.yaml: cannot read the settings: YAML Error/],
    ["package.json", '{ "mity": { "keepGoing": "yes" } }', /package\.json: field "keepGoing": must be true or false, not "yes"/],
    [".mityrc.json", '["json"]', /\.mityrc\.json: settings must be an object/],
    [".mityrc.json", '{ "keepGoing": true, "failFast": true }', /\.mityrc\.json: field "failFast": keepGoing and failFast cannot both be true/],
  ];
  for (const [name, text, message] of cases) {
    const dir = tempTree(t, { "mityfile.ts": mityfile, [name]: text });
    const result = await runMity([], { cwd: dir });
    exits(t, result, 2, text);
    t.match(result.stderr, message, text);
    t.notMatch(result.stderr, /internal error|\n\s+at /, `${text}: no stack`);
    t.equal(result.stdout, "", `${text}: nothing ran`);
  }
});

t.test("a listing does not read the settings", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, ".mityrc.json": '{ "nonsense": 1 }' });
  exits(t, await runMity(["--list"], { cwd: dir }), 0);
});
