import t from "tap";
import { parseArgs, type CliRequest } from "../../lib/cli/args.js";
import { MityError } from "../../lib/util/errors.js";

const DEFAULTS: CliRequest = {
  tasks: [],
  args: [],
  list: false,
  all: false,
  json: false,
  parallel: false,
  concurrency: undefined,
  keepGoing: false,
  failFast: false,
  dryRun: false,
  graph: undefined,
  mityfile: undefined,
  cwd: undefined,
  global: false,
  output: "auto",
  verbosity: "normal",
  graceMs: undefined,
  init: false,
  yes: false,
  force: false,
  forceAll: false,
  why: undefined,
  installHooks: false,
  uninstallHooks: false,
  hook: undefined,
  completion: undefined,
  getCompletions: false,
  runs: false,
  report: undefined,
  profile: undefined,
  sync: false,
  export: undefined,
  noDeps: false,
  watch: false,
  pools: { redis: undefined, worker: undefined, workers: false, poolWaitMs: undefined, acceptChanged: false, job: undefined },
};

async function request(argv: string[]): Promise<CliRequest> {
  const parsed = await parseArgs(argv, "1.2.3");
  if (!("request" in parsed)) throw new Error(`expected a request for ${argv.join(" ")}, got text`);
  return parsed.request;
}

async function refusal(argv: string[]): Promise<MityError | undefined> {
  try {
    await parseArgs(argv, "1.2.3");
    return undefined;
  } catch (error) {
    if (error instanceof MityError) return error;
    throw error;
  }
}

t.test("no arguments: every default", async (t) => {
  t.strictSame(await request([]), DEFAULTS);
});

t.test("every option and its alias", async (t) => {
  const cases: [string[], Partial<CliRequest>][] = [
    [["-l"], { list: true }],
    [["--list"], { list: true }],
    [["--list", "--all", "--json"], { list: true, all: true, json: true }],
    [["-n"], { dryRun: true }],
    [["--dry-run"], { dryRun: true }],
    [["-p"], { parallel: true }],
    [["--parallel"], { parallel: true }],
    [["-j", "4"], { concurrency: 4 }],
    [["-j4"], { concurrency: 4 }],
    [["--concurrency", "1"], { concurrency: 1 }],
    [["--concurrency=16"], { concurrency: 16 }],
    [["-k"], { keepGoing: true }],
    [["--keep-going"], { keepGoing: true }],
    [["--fail-fast"], { failFast: true }],
    [["--grace", "2"], { graceMs: 2000 }],
    [["--grace", "0.5"], { graceMs: 500 }],
    [["--grace", "0"], { graceMs: 0 }],
    [["-f", "ci/mityfile.ts"], { mityfile: "ci/mityfile.ts" }],
    [["--mityfile", "other"], { mityfile: "other" }],
    [["-C", "sub dir"], { cwd: "sub dir" }],
    [["--cwd", "/abs"], { cwd: "/abs" }],
    [["-g"], { global: true }],
    [["--global"], { global: true }],
    [["--init"], { init: true }],
    ...(["auto", "tty", "prefix", "grouped", "raw", "json"] as const).map((output): [string[], Partial<CliRequest>] => [["--output", output], { output }]),
    [["-s"], { verbosity: "silent" }],
    [["--silent"], { verbosity: "silent" }],
    [["-v"], { verbosity: "verbose" }],
    [["--verbose"], { verbosity: "verbose" }],
    [["-lj2"], { list: true, concurrency: 2 }],
    [["-nv"], { dryRun: true, verbosity: "verbose" }],
  ];
  for (const [argv, expected] of cases) t.strictSame(await request(argv), { ...DEFAULTS, ...expected }, argv.join(" "));
});

t.test("task names, in order, with options before, between and after them", async (t) => {
  const cases: [string[], Partial<CliRequest>][] = [
    [["build"], { tasks: ["build"] }],
    [["lint", "test", "fw:apply"], { tasks: ["lint", "test", "fw:apply"] }],
    [["build", "-j4"], { tasks: ["build"], concurrency: 4 }],
    [["-j", "2", "build", "test", "-p"], { tasks: ["build", "test"], concurrency: 2, parallel: true }],
    [["build", "-k", "test"], { tasks: ["build", "test"], keepGoing: true }],
    [[":build"], { tasks: [":build"] }],
  ];
  for (const [argv, expected] of cases) t.strictSame(await request(argv), { ...DEFAULTS, ...expected }, argv.join(" "));
});

t.test("words after -- are args, never options or tasks", async (t) => {
  t.strictSame(await request(["deploy", "--", "a", "b c", "--force", "-v"]), { ...DEFAULTS, tasks: ["deploy"], args: ["a", "b c", "--force", "-v"] });
  t.strictSame(await request(["--", "-j4"]), { ...DEFAULTS, args: ["-j4"] });
  t.strictSame(await request(["x", "--"]), { ...DEFAULTS, tasks: ["x"] });
});

t.test("--graph takes a format, or else a task name", async (t) => {
  const cases: [string[], Partial<CliRequest>][] = [
    [["--graph"], { graph: "dot" }],
    [["--graph", "dot"], { graph: "dot" }],
    [["--graph", "mermaid"], { graph: "mermaid" }],
    [["--graph=json"], { graph: "json" }],
    [["--graph", "build"], { graph: "dot", tasks: ["build"] }],
    [["--graph", "build", "test"], { graph: "dot", tasks: ["build", "test"] }],
    [["--graph", "json", "build"], { graph: "json", tasks: ["build"] }],
    [["build", "--graph", "mermaid"], { graph: "mermaid", tasks: ["build"] }],
    [["test", "--graph", "build"], { graph: "dot", tasks: ["build", "test"] }],
  ];
  for (const [argv, expected] of cases) t.strictSame(await request(argv), { ...DEFAULTS, ...expected }, argv.join(" "));
});

t.test("bad values and unknown options are usage errors (MityError)", async (t) => {
  const HINT = '\nRun "mity --help" for the options.';
  const cases: [string[], string][] = [
    [["-j", "0"], "-j/--concurrency takes a whole number of at least 1, not 0"],
    [["-j", "-2"], "-j/--concurrency takes a whole number of at least 1, not -2"],
    [["-j", "1.5"], "-j/--concurrency takes a whole number of at least 1, not 1.5"],
    [["-j", "many"], '-j/--concurrency takes a whole number of at least 1, not "many"'],
    [["-j", "2", "--concurrency=lots", "build"], '-j/--concurrency takes a whole number of at least 1, not "lots"'],
    [["-j", "x", "--", "-j", "3"], '-j/--concurrency takes a whole number of at least 1, not "x"'],
    [["-j", "3", "--j", "many"], '-j/--concurrency takes a whole number of at least 1, not "many"'],
    [["-j", "3", "-pj", "many", "a"], '-j/--concurrency takes a whole number of at least 1, not "many"'],
    [["-kj", "many"], '-j/--concurrency takes a whole number of at least 1, not "many"'],
    [["--j=many"], '-j/--concurrency takes a whole number of at least 1, not "many"'],
    [["-jx", "build"], '-j/--concurrency takes a whole number of at least 1, not "x"'],
    [["-j8x"], '-j/--concurrency takes a whole number of at least 1, not "8x"'],
    [["-kjfoo", "build"], '-j/--concurrency takes a whole number of at least 1, not "foo"'],
    [["build", "-x", "--", "-jx"], `Unknown argument: x${HINT}`],
    [["-list"], `Unknown argument: -list (long options take two dashes)\nDid you mean "--list"?${HINT}`],
    [["build", "-parallel"], `Unknown argument: -parallel (long options take two dashes)\nDid you mean "--parallel"?${HINT}`],
    [["-json", "--list"], `Unknown argument: -json (long options take two dashes)\nDid you mean "--json"?${HINT}`],
    [["-graph=dot"], `Unknown argument: -graph=dot (long options take two dashes)\nDid you mean "--graph=dot"?${HINT}`],
    // After "--", words are the tasks' own: no guess about them (yargs still names their letters).
    [["build", "-x", "--", "-list"], `Unknown arguments: x, i, t${HINT}`],
    [["--concurrency=0"], "-j/--concurrency takes a whole number of at least 1, not 0"],
    [["--grace", "-1"], "--grace takes a number of seconds, not -1"],
    [["--grace", "soon"], '--grace takes a number of seconds, not "soon"'],
    [["--nope"], `Unknown argument: nope${HINT}`],
    [["--lsit"], `Unknown argument: lsit\nDid you mean "--init" or "--list"?${HINT}`],
    [["--dry-rn", "build"], `Unknown argument: dry-rn\nDid you mean "--dry-run"?${HINT}`],
    [["--paralel", "build"], `Unknown argument: paralel\nDid you mean "--parallel"?${HINT}`],
    [["build", "-x"], `Unknown argument: x${HINT}`],
    [["-s", "-v"], `Arguments silent and verbose are mutually exclusive${HINT}`],
    [["--keep-going", "--fail-fast"], `Arguments keep-going and fail-fast are mutually exclusive${HINT}`],
    [["-k", "--fail-fast"], `Arguments keep-going and fail-fast are mutually exclusive${HINT}`],
    [["--output", "fancy"], `Invalid values:\n  Argument: output, Given: "fancy", Choices: "auto", "tty", "prefix", "grouped", "raw", "json"${HINT}`],
  ];
  for (const [argv, expected] of cases) {
    const error = await refusal(argv);
    t.equal(error?.message, expected, argv.join(" "));
  }
});

t.test("--help and --version give text instead of a request", async (t) => {
  for (const flag of ["--help", "-h"]) {
    const parsed = await parseArgs([flag], "1.2.3");
    t.ok("text" in parsed && parsed.text.startsWith("Usage: mity [options] [task [task-options]]... [-- args]"), flag);
    t.ok("text" in parsed && parsed.text.includes("--keep-going") && parsed.text.includes("Exit codes: 0 ok"), `${flag} lists options and exit codes`);
  }
  for (const flag of ["--version", "-V"]) t.strictSame(await parseArgs([flag], "1.2.3"), { text: "1.2.3" }, flag);
});

t.test("task names and args that look like numbers are kept as typed", async (t) => {
  // NAME_PATTERN allows digits and dots, so "1.10" and "1e3" are valid task names.
  t.strictSame((await request(["1.10", "1e3", "0x1f", "007"])).tasks, ["1.10", "1e3", "0x1f", "007"], "names");
  t.strictSame((await request(["--graph", "dot", "2.0"])).tasks, ["2.0"], "after --graph");
  t.strictSame((await request(["x", "--", "007", "1e3", "0x1f", "2.50"])).args, ["007", "1e3", "0x1f", "2.50"], "args after --", {
  });
});

t.test("an option given twice takes the last value or is refused, never an array", async (t) => {
  const cases: [string[], keyof CliRequest, unknown][] = [
    [["--graph", "dot", "--graph", "json"], "graph", "json"],
    [["-f", "a.ts", "-f", "b.ts"], "mityfile", "b.ts"],
    [["-C", "a", "-C", "b"], "cwd", "b"],
    [["--output", "json", "--output", "raw"], "output", "raw"],
  ];
  for (const [argv, field, last] of cases) {
    const outcome = await parseArgs(argv, "1.2.3").then(
      (parsed) => ("request" in parsed ? parsed.request[field] : parsed.text),
      (error: unknown) => (error instanceof MityError ? "refused" : error),
    );
    t.ok(outcome === last || outcome === "refused", `${argv.join(" ")} gave ${JSON.stringify(outcome)}`);
  }
  const concurrency = await parseArgs(["-j", "2", "-j", "3"], "1.2.3").then(
    (parsed) => ("request" in parsed ? parsed.request.concurrency : undefined),
    (error: unknown) => (error instanceof MityError ? "refused" : error),
  );
  t.ok(concurrency === 3 || concurrency === "refused", "-j 2 -j 3");
});

t.test("--profile beside an option that runs no task is refused, not ignored", async (t) => {
  for (const argv of [["--list"], ["-n", "build"], ["--why", "build"], ["--runs"], ["--report"], ["--sync"], ["--export", "github-actions"], ["--workers"]]) {
    const error = await refusal([...argv, "--profile", "run.json"]);
    t.match(error?.message, /--profile writes the trace of a run, and --[a-z-]+ runs no task/, argv.join(" "));
  }
  t.equal((await request(["build", "--profile", "run.json"])).profile, "run.json", "beside a run it is taken");
});
