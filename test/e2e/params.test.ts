import t from "tap";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { endsByTask, exits, stackLines, type Test } from "../helpers/fixtures.js";
import { events, runMity as startMity, tempTree, type MityOptions } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

// tap's NODE_OPTIONS preloads its process tracker into every mity started: without it each start is twice as fast.
const runMity = (args: readonly string[], options: MityOptions) => startMity(args, { ...options, env: { NODE_OPTIONS: undefined, ...options.env } });

// `${X-unset}` tells a variable that is not set from one set to "".
const show = 'printf "%s|%s|%s|%s|%s\\n" "$MITY_PARAM_ENV" "$MITY_PARAM_DRY_RUN" "${MITY_PARAM_TAG-unset}" "${MITY_PARAM_COUNT-unset}" "${MITY_PARAM_MSG-unset}"';

const mityfile = `export default {
  tasks: {
    deploy: {
      description: "Deploy the stack",
      params: {
        env: { type: "string", choices: ["staging", "prod"], required: true, description: "Target environment" },
        dryRun: { type: "boolean", default: false, description: "Plan only" },
        tag: { type: "string[]", description: "Image tags" },
        count: { type: "number", default: 1 },
        msg: { type: "string" },
      },
      run: [${JSON.stringify(show)}, "touch ran-deploy"],
    },
    release: { description: "Deploy, then tag", deps: ["deploy"], run: "touch ran-release" },
    say: { params: { msg: { type: "string", required: true } }, run: 'printf "%s" "$MITY_PARAM_MSG"' },
    fn: {
      params: { who: { type: "string", default: "world" }, times: { type: "number" }, loud: { type: "boolean" }, tags: { type: "string[]" } },
      run: (ctx) => { ctx.log(JSON.stringify({ params: ctx.params, env: ctx.env.MITY_PARAM_WHO, tags: ctx.env.MITY_PARAM_TAGS ?? null })); },
    },
  },
};
`;

const outputOf = (stdout: string, task: string) =>
  events(stdout).filter((e) => e.event === "output" && e.task === task).map((e) => String(e.line));

const nothingRan = (t: Test, dir: string) => {
  t.notOk(existsSync(join(dir, "ran-deploy")), "deploy did not run");
  t.notOk(existsSync(join(dir, "ran-release")), "release did not run");
};

t.test("values reach a shell command as MITY_PARAM_* variables, string[] as JSON", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "deploy", "--env", "prod", "--dry-run", "--tag", "a", "--tag", "b c", "--count", "3", "--msg", "hi"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "deploy"), ['prod|true|["a","b c"]|3|hi']);
});

t.test("defaults fill in; an optional param that is not given is not set at all", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "deploy", "--env", "staging"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "deploy"), ["staging|false|unset|1|unset"]);
});

t.test("an optional param not given is unset even when the caller's environment has its variable", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "deploy", "--env", "staging"], { cwd: dir, env: { MITY_PARAM_MSG: "outer", MITY_PARAM_TAG: '["outer"]' } });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "deploy"), ["staging|false|unset|1|unset"]);
});

t.test("--no-x, --name=value and a negative number", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--output", "json", "deploy", "--env=prod", "--no-dry-run", "--count=-2", "--tag=x"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "deploy"), ['prod|false|["x"]|-2|unset']);
});

t.test("a param value with shell metacharacters reaches the command as data", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile, "x/keep.txt": "still here" });
  const value = `$(touch pwned); rm -rf x; \`touch pwned2\`; "dq" 'sq' \\ * && touch pwned3 | cat > pwned4`;
  const result = await runMity(["--output", "json", "say", "--msg", value], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "say"), [value], "printed intact");
  for (const file of ["pwned", "pwned2", "pwned3", "pwned4"]) t.notOk(existsSync(join(dir, file)), `no ${file}`);
  t.ok(existsSync(join(dir, "x", "keep.txt")), "nothing was removed");
});

t.test("an unknown param fails before anything runs", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deploy", "--evn", "prod"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /evn/);
  t.strictSame(stackLines(result.stderr), []);
  nothingRan(t, dir);
});

t.test("an unknown param's message names the task and suggests the param meant", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deploy", "--evn", "prod"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /deploy/, "names the task");
  t.match(result.stderr, /--env/, "suggests --env");
});

t.test("a param after a misspelt task name reports the task, not the param", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deplyo", "--env", "prod"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /task "deplyo" does not exist/);
  t.match(result.stderr, /Did you mean "deploy"\?/);
  t.notMatch(result.stderr, /Unknown argument/);
  nothingRan(t, dir);
});

t.test("a param given to a task that declares none says which task took it", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["release", "--env", "prod"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /release/);
  nothingRan(t, dir);
});

t.test("a wrong type: exit 2, naming the task, the param and the value", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deploy", "--env", "prod", "--count", "abc"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /task "deploy"/);
  t.match(result.stderr, /--count must be a number, not "abc"/);
  t.match(result.stderr, join(dir, "mityfile.ts"));
  t.strictSame(stackLines(result.stderr), []);
  nothingRan(t, dir);
});

t.test("a value outside choices: exit 2, the allowed values listed, nothing ran", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deploy", "--env", "dev"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /task "deploy"/);
  t.match(result.stderr, /--env must be one of "staging", "prod", not "dev"/);
  nothingRan(t, dir);
});

t.test("a missing required param, and one value given twice", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const missing = await runMity(["deploy"], { cwd: dir });
  exits(t, missing, 2, "missing");
  t.match(missing.stderr, /task "deploy".*needs --env <string> \(one of "staging", "prod"\)/);
  const twice = await runMity(["deploy", "--env", "prod", "--env", "staging"], { cwd: dir });
  exits(t, twice, 2, "twice");
  t.match(twice.stderr, /--env was given 2 times; it takes one value/);
  const bare = await runMity(["deploy", "--env"], { cwd: dir });
  exits(t, bare, 2, "no value");
  t.match(bare.stderr, /--env needs a value/);
  const negated = await runMity(["deploy", "--no-env"], { cwd: dir });
  exits(t, negated, 2, "--no- on a string");
  t.match(negated.stderr, /--no-env only works for switches/);
  nothingRan(t, dir);
});

t.test("a required param on a dep: exit 2, explaining that deps cannot take params", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["release"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /task "deploy"/);
  t.match(result.stderr, /needs --env/);
  t.match(result.stderr, /dep of "release"/);
  t.match(result.stderr, /deps cannot take params/);
  nothingRan(t, dir);
  // The way out the message gives: name the dep with its params.
  const named = await runMity(["--output", "json", "deploy", "--env", "prod", "release"], { cwd: dir });
  exits(t, named, 0, "named first");
  t.strictSame([...endsByTask(events(named.stdout)).values()].map((e) => [e.task, e.state]), [["deploy", "ok"], ["release", "ok"]]);
  t.strictSame(outputOf(named.stdout, "deploy"), ["prod|false|unset|1|unset"]);
});

t.test("a run function gets typed values as ctx.params, defaults included", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const given = await runMity(["--output", "json", "fn", "--who", "ops", "--times", "2", "--loud", "--tags", "a", "--tags", "b"], { cwd: dir });
  exits(t, given, 0);
  t.strictSame(JSON.parse(outputOf(given.stdout, "fn")[0] ?? "null"), {
    params: { who: "ops", times: 2, loud: true, tags: ["a", "b"] },
    env: "ops",
    tags: '["a","b"]',
  });
  const none = await runMity(["--output", "json", "fn"], { cwd: dir });
  exits(t, none, 0);
  t.strictSame(JSON.parse(outputOf(none.stdout, "fn")[0] ?? "null"), { params: { who: "world", loud: false }, env: "world", tags: null });
});

t.test("each named task takes the options written after it; others are mity's own", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deploy", "--env", "prod", "-j", "1", "--output", "json", "fn", "--who", "me", "--verbose"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "deploy"), ["prod|false|unset|1|unset"]);
  t.match(JSON.parse(outputOf(result.stdout, "fn")[0] ?? "null"), { params: { who: "me" } });
  t.ok(events(result.stdout).some((e) => e.event === "command"), "--verbose, written after fn, was mity's");
});

t.test("mity deploy --help prints the task's description and params, and runs nothing", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["deploy", "--help"], { cwd: dir });
  exits(t, result, 0);
  const text = result.stdout;
  t.match(text, /^mity deploy {2}Deploy the stack\n/);
  t.match(text, /declared in {2}mityfile\.ts/);
  t.match(text, /\n {2}--env <string> +Target environment \(required; one of "staging", "prod"; \$MITY_PARAM_ENV\)\n/);
  t.match(text, /\n {2}--dry-run +Plan only \(default false; \$MITY_PARAM_DRY_RUN\)\n/);
  t.match(text, /\n {2}--tag <string, repeatable> +Image tags \(\$MITY_PARAM_TAG\)\n/);
  t.match(text, /\n {2}--count <number> +\(default 1; \$MITY_PARAM_COUNT\)\n/);
  const short = await runMity(["deploy", "-h"], { cwd: dir });
  t.equal(short.stdout, text, "-h is the same");
  const release = await runMity(["release", "--help"], { cwd: dir });
  t.match(release.stdout, /runs first {3}deploy/);
  const general = await runMity(["--help"], { cwd: dir });
  t.match(general.stdout, /Usage: mity/, "--help before any task is mity's own");
  nothingRan(t, dir);
});
