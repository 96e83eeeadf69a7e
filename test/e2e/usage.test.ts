import t from "tap";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { exits, readLog, type Test } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

// Every task leaves a file named after it: a usage error must leave none.
const mityfile = `export default {
  default: "build",
  tasks: {
    build: { run: "touch ran-build" },
    test: { run: "touch ran-test" },
    say: {
      params: { msg: { type: "string" }, count: { type: "number" }, tag: { type: "string[]" }, loud: { type: "boolean" } },
      run: 'printf "%s\\\\n" "$MITY_PARAM_MSG" >> said.log',
    },
  },
};
`;

const nothingRan = (t: Test, dir: string) => {
  for (const task of ["build", "test"]) t.notOk(existsSync(join(dir, `ran-${task}`)), `${task} did not run`);
  t.strictSame(readLog(join(dir, "said.log")), [], "say did not run");
};

t.test("an option in capitals or another spelling is a usage error that names the right one, never a run", async (t) => {
  for (const [typed, meant] of [["--DRY-RUN", "--dry-run"], ["--dryRun", "--dry-run"], ["--Keep-Going", "--keep-going"], ["--LIST", "--list"]] as const) {
    const dir = tempTree(t, { "mityfile.ts": mityfile });
    const result = await runMity([typed, "test"], { cwd: dir });
    exits(t, result, 2, typed);
    t.match(result.stderr, `Did you mean "${meant}"?`, `${typed}: suggests ${meant}`);
    nothingRan(t, dir);
  }
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const after = await runMity(["test", "--DRY-RUN"], { cwd: dir });
  exits(t, after, 2, "after a task name");
  t.match(after.stderr, /task "test": has no param --DRY-RUN.* Did you mean "--dry-run"\?/, "after a task name: suggests --dry-run");
  nothingRan(t, dir);
});

t.test("a param written without its value does not take the next option as its value", async (t) => {
  const cases: [string[], RegExp][] = [
    [["say", "--msg", "--dry-run"], /--msg needs a value \(string\); "--dry-run" is one of mity's options/],
    [["say", "--msg", "-n"], /--msg needs a value \(string\); "-n" is one of mity's options/],
    [["say", "--msg", "--loud"], /--msg needs a value \(string\); "--loud" is another param of "say"/],
    [["say", "--tag", "--count", "3"], /--tag needs a value \(string\[\]\); "--count" is another param of "say"/],
    [["say", "--count", "--msg=x"], /--count needs a value \(number\); "--msg=x" is another param of "say"/],
  ];
  for (const [args, message] of cases) {
    const dir = tempTree(t, { "mityfile.ts": mityfile });
    const result = await runMity(args, { cwd: dir });
    exits(t, result, 2, args.join(" "));
    t.match(result.stderr, message, args.join(" "));
    t.match(result.stderr, /task "say", field "params\./, `${args.join(" ")}: names the task and param`);
    nothingRan(t, dir);
  }
});

t.test("a param value that only looks like an option is still taken: a negative number, a word with dashes", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["say", "--msg", "-x-", "--count", "-2"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(readLog(join(dir, "said.log")), ["-x-"]);
});

t.test("--json and --all without --list are usage errors, not ignored", async (t) => {
  for (const args of [["--json", "test"], ["--all", "test"], ["--all"], ["--json", "--dry-run", "test"]]) {
    const dir = tempTree(t, { "mityfile.ts": mityfile });
    const result = await runMity(args, { cwd: dir });
    exits(t, result, 2, args.join(" "));
    t.match(result.stderr, /--(json|all) only works with --list/, args.join(" "));
    nothingRan(t, dir);
  }
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  exits(t, await runMity(["--list", "--all", "--json"], { cwd: dir }), 0, "with --list");
});

t.test("the same task named twice with different params is refused; named twice alike, it runs once", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["say", "--msg", "one", "say", "--msg", "two"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /task "say".*named twice with different params \(--msg one, then --msg two\)/s);
  t.match(result.stderr, /runs at most once/);
  nothingRan(t, dir);

  const without = await runMity(["say", "--msg", "one", "say"], { cwd: dir });
  exits(t, without, 2, "once with params, once without");
  nothingRan(t, dir);

  const alike = await runMity(["say", "--msg", "one", "say", "--msg", "one"], { cwd: dir });
  exits(t, alike, 0, "alike");
  t.strictSame(readLog(join(dir, "said.log")), ["one"]);
});

t.test("--why and --hook without a value say the value is missing", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  for (const [args, message] of [
    [["--why"], /--why needs a task name/],
    [["--why", "--dry-run"], /--why needs a task name/],
    [["--hook"], /--hook needs the name of a git hook/],
  ] as const) {
    const result = await runMity(args, { cwd: dir });
    exits(t, result, 2, args.join(" "));
    t.match(result.stderr, message, args.join(" "));
    t.notMatch(result.stderr, /""/, `${args.join(" ")}: no empty name`);
  }
  nothingRan(t, dir);
});

t.test("--why with two tasks is refused rather than answering for the first", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const result = await runMity(["--why", "build", "test"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /--why takes one task.*"test"/);
  t.equal(result.stdout, "");
});
