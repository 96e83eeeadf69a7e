import t from "tap";
import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { endsByTask, exits } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;


const outputOf = (stdout: string, task: string) =>
  events(stdout).filter((e) => e.event === "output" && e.task === task).map((e) => String(e.line));

// Each variable is set by every layer up to the one named after it: the value shows which layer won.
const layers = `export default {
  include: { fw: "./firewall" },
  env: { M: "mityfile", D: "mityfile", T: "mityfile", MITY_PARAM_LEVEL: "mityfile", ROOT_ONLY: "root" },
  tasks: {
    show: {
      cwd: "sub",
      dotenv: ".env",
      env: { T: "task", MITY_PARAM_LEVEL: "task" },
      params: { level: { type: "string" } },
      run: 'echo "P=$P M=$M D=$D T=$T LEVEL=$MITY_PARAM_LEVEL"',
    },
    plain: { run: 'echo "D=$D"' },
  },
};
`;

const files = {
  "mityfile.ts": layers,
  "sub/.env": "D=dotenv\nT=dotenv\nMITY_PARAM_LEVEL=dotenv\n",
  // An included file: the root's env reaches it, its own env beats the root's, its dotenv beats both.
  "firewall/mityfile.ts": `export default {
    env: { M: "fw mityfile" },
    tasks: { apply: { dotenv: ["base.env", "local.env"], run: 'echo "ROOT_ONLY=$ROOT_ONLY M=$M D=$D L=$L"' } },
  };`,
  "firewall/base.env": "D=fw base\nL=base\n",
  "firewall/local.env": "L=local\n",
};

t.test("precedence: process env < mityfile env < dotenv < task env < params", async (t) => {
  const dir = tempTree(t, files);
  const outside = { P: "process", M: "process", D: "process", T: "process", MITY_PARAM_LEVEL: "process" };
  const result = await runMity(["--output", "json", "show", "--level", "param", "plain"], { cwd: dir, env: outside });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "show"), ["P=process M=mityfile D=dotenv T=task LEVEL=param"]);
  t.strictSame(outputOf(result.stdout, "plain"), ["D=mityfile"], "a dotenv file reaches only its own task");
});

t.test("in an included file: the root's env reaches it, dotenv files are relative to its directory, later files win", async (t) => {
  const dir = tempTree(t, files);
  const result = await runMity(["--output", "json", "fw:apply"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "fw:apply"), ["ROOT_ONLY=root M=fw mityfile D=fw base L=local"]);
});

t.test("quoting: single quotes literal, double quotes with escapes, no $ expansion, comments, export", async (t) => {
  const dotenv = [
    "# a comment line",
    "",
    "PLAIN=plain value   # a trailing comment",
    "  SPACED  =  around  ",
    "export EXPORTED=yes",
    "SINGLE='$HOME \"kept\" \\n # not a comment'",
    'DOUBLE="tab\\there \\"q\\" back\\\\slash $HOME"',
    'MULTI="line one',
    'line two"',
    "EQUALS=a=b=c",
    "EMPTY=",
    "HASH=a#b",
  ].join("\n");
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: { dump: { dotenv: ".env", run: (ctx) => {
      const keys = ["PLAIN", "SPACED", "EXPORTED", "SINGLE", "DOUBLE", "MULTI", "EQUALS", "EMPTY", "HASH"];
      ctx.log(JSON.stringify(Object.fromEntries(keys.map((key) => [key, ctx.env[key] ?? null]))));
    } } } };`,
    ".env": dotenv,
  });
  const result = await runMity(["--output", "json", "dump"], { cwd: dir, env: { HOME: "/home/someone" } });
  exits(t, result, 0);
  t.strictSame(JSON.parse(outputOf(result.stdout, "dump")[0] ?? "null"), {
    PLAIN: "plain value",
    SPACED: "around",
    EXPORTED: "yes",
    SINGLE: '$HOME "kept" \\n # not a comment',
    DOUBLE: 'tab\there "q" back\\slash $HOME',
    MULTI: "line one\nline two",
    EQUALS: "a=b=c",
    EMPTY: "",
    HASH: "a#b",
  });
});

t.test("a comment after a quoted value is not part of the value, even when it holds a quote", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: { dump: { dotenv: ".env", run: (ctx) => { ctx.log(JSON.stringify([ctx.env.API_TOKEN, ctx.env.GREETING])); } } } };`,
    ".env": "API_TOKEN='abc'  # don't commit this\nGREETING=\"hi\" # say \"hi\"\n",
  });
  const result = await runMity(["--output", "json", "dump"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(JSON.parse(outputOf(result.stdout, "dump")[0] ?? "null"), ["abc", "hi"]);
});

t.test("the values reach shell commands as they are", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: { say: { dotenv: ".env", run: 'printf "%s\\\\n" "$MSG"' } } };`,
    ".env": "MSG='$(touch pwned); `touch pwned2`'\n",
  });
  const result = await runMity(["--output", "json", "say"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "say"), ["$(touch pwned); `touch pwned2`"]);
  t.notOk(existsSync(join(dir, "pwned")));
  t.notOk(existsSync(join(dir, "pwned2")));
});

t.test("a missing dotenv file stops the run before anything runs, naming the file, task and field", async (t) => {
  const dir = realpathSync(tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      init: { run: "touch ran-init" },
      plan: { cwd: "cloud", deps: ["init"], dotenv: ["../.env"], run: "touch ran" },
      apply: { deps: ["plan"], run: "touch ran-apply" },
    } };`,
    "cloud/.keep": "",
  }));
  const result = await runMity(["--output", "json", "apply"], { cwd: dir });
  exits(t, result, 2);
  t.equal(result.stdout, "", "no event: nothing started");
  t.match(result.stderr, `task "plan", field "dotenv": ${join(dir, ".env")} does not exist`);
  t.notOk(existsSync(join(dir, "ran-init")), "not even its dep ran");
  t.notOk(existsSync(join(dir, "cloud", "ran")));
  t.notOk(existsSync(join(dir, "ran-apply")));
  const dry = await runMity(["-n", "apply"], { cwd: dir });
  exits(t, dry, 2, "-n says so too");
  t.match(dry.stdout, /Dry run/, "and still shows the plan");
  t.match(dry.stdout + dry.stderr, `${join(dir, ".env")} does not exist`);
  const why = await runMity(["--why", "apply"], { cwd: dir });
  exits(t, why, 2, "--why says so too");
  t.match(why.stdout + why.stderr, `${join(dir, ".env")} does not exist`);
  const list = await runMity(["--list"], { cwd: dir });
  exits(t, list, 0, "listing does not read dotenv files");
});

t.test("a dotenv file a dep writes: named in the dep's outputs, or optional", async (t) => {
  const dir = realpathSync(tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      login: { run: "echo TOKEN=abc > .env.token", outputs: [".env.token"] },
      deploy: { deps: ["login"], dotenv: ".env.token", run: 'echo "token=$TOKEN"' },
      maybe: { dotenv: [{ path: ".env.local", optional: true }], run: 'echo "local=\${LOCAL-unset}"' },
    } };`,
  }));
  const result = await runMity(["--output", "json", "deploy", "maybe"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputOf(result.stdout, "deploy"), ["token=abc"]);
  t.strictSame(outputOf(result.stdout, "maybe"), ["local=unset"], "an optional file that is missing is left out");
});

t.test("a malformed dotenv entry is a bad mityfile", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { x: { dotenv: [{ file: ".env" }], run: "true" } } };` });
  const result = await runMity(["x"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /task "x", field "dotenv"/);
});

t.test("a malformed dotenv file fails the task, naming the file and line", async (t) => {
  const dir = realpathSync(tempTree(t, {
    "mityfile.ts": `export default { tasks: { x: { dotenv: ".env", run: "touch ran" } } };`,
    ".env": "GOOD=1\nthis is not an assignment\n",
  }));
  const result = await runMity(["--output", "json", "x"], { cwd: dir });
  exits(t, result, 1);
  t.match(endsByTask(events(result.stdout)).get("x"), { state: "failed", reason: `${join(dir, ".env")}:2` });
  t.notOk(existsSync(join(dir, "ran")));
});

t.test("a binary file as dotenv: the reason quotes at most one short line", async (t) => {
  // Bytes 14 to 213 only: no line break, so all of it is one line.
  const binary = Buffer.from(Array.from({ length: 120_000 }, (_, i) => 14 + ((i * 7919) % 200))).toString("latin1");
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { build: { dotenv: "blob.bin", run: "touch ran" } } };\n`, "blob.bin": binary });
  const result = await runMity(["--output", "json", "build"], { cwd: dir });
  exits(t, result, 1);
  const reason = String(endsByTask(events(result.stdout)).get("build")?.reason);
  t.match(reason, /blob\.bin:1: expected KEY=value/);
  t.ok(reason.length < 300, `short: ${reason.length} characters`);
  t.notOk(reason.includes("\n"), "one line");
  t.notOk(existsSync(join(dir, "ran")), "nothing ran");
});
