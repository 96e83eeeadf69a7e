#!/usr/bin/env node
// Compares mity with GNU make and hereby on the BENCH.md workloads: `node bench/run.mjs [workload ...] [--runs N] [--warmup N]`.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, timeProcess } from "./measure.mjs";
import { detailTable, failureList, mainTable, rowLabel, targetList } from "./report.mjs";
import { fail, parseOptions, workspace } from "./cli.mjs";
import { BASELINE, WORKLOADS, actionDeps, herebyfile, lowerBound, makefile, mityfile } from "./workloads.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = dirname(BENCH);
const NODE = process.execPath;
const HEREBY_PACKAGE = join(REPO, "node_modules", "hereby");
const HEREBY = join(HEREBY_PACKAGE, "dist", "cli.js");

const USAGE = `Usage: node bench/run.mjs [workload ...] [options]

Workloads (a prefix such as "sleep-dag" selects every match; none selects all):
${WORKLOADS.map((w) => `  ${w.name.padEnd(18)}${w.shows}`).join("\n")}

Options:
  --runs N       timed runs per runner (default: 15, sleep workloads 5, skewed-dag 3)
  --warmup N     untimed runs per runner first (default: 3, sleep workloads 1, skewed-dag 0)
  --mity PATH    the mity CLI script to run with node (default: bin/mity.js of this repository)
  --keep         keep the generated files (their folder is printed)
  -h, --help     this text

Writes the results to bench/results/latest.md (and latest.json, every sample).`;



function selectWorkloads(names) {
  if (names.length === 0) return WORKLOADS;
  const chosen = new Set();
  for (const name of names) {
    const matches = WORKLOADS.filter((w) => w.name === name || w.name.startsWith(`${name}-`));
    if (matches.length === 0) fail(`no workload "${name}"; there are: ${WORKLOADS.map((w) => w.name).join(", ")}`);
    matches.forEach((w) => chosen.add(w));
  }
  return WORKLOADS.filter((w) => chosen.has(w));
}

/** The exact process each runner is timed as: listing for list workloads, running `target` otherwise. */
function commandFor(runner, workload, options) {
  const list = workload.mode === "list";
  switch (runner) {
    case "mity":
      return list ? [NODE, options.mity, "--list"] : [NODE, options.mity, "--parallel", "-j", String(workload.jobs), ...(workload.mityArgs ?? []), workload.target];
    case "make":
      return list ? ["make", "-n", workload.target] : ["make", `-j${workload.jobs}`, workload.target];
    case "hereby":
      return list ? [NODE, HEREBY, "--tasks"] : [NODE, HEREBY, workload.target];
    case "node":
      return [NODE, "-e", "0"];
  }
  throw new Error(`unknown runner ${runner}`);
}

/** Untimed listing run in a fresh folder, so its first timed run does not pay for a cold disk or an uncompiled mityfile. */
const primeCommand = (runner, workload, options) => commandFor(runner, { ...workload, mode: "list" }, options);

function writeProject(dir, workload, log) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "mityfile.ts"), mityfile(workload, log));
  writeFileSync(join(dir, "Makefile"), makefile(workload, log));
  writeFileSync(join(dir, "Herebyfile.mjs"), herebyfile(workload, log));
  // `import "hereby"` must resolve from a folder outside the repository, to the same hereby the CLI is.
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(HEREBY_PACKAGE, join(dir, "node_modules", "hereby"), "dir");
}

/** What is wrong with a run of the checking variant, judged from the "+task"/"-task" lines its tasks wrote. */
function checkLog(workload, text) {
  const problems = [];
  const started = new Map();
  const ended = new Map();
  let running = 0;
  let peak = 0;
  const known = new Set(workload.tasks.filter((t) => t.action).map((t) => t.name));
  text.split("\n").filter(Boolean).forEach((line, index) => {
    const name = line.slice(1);
    if (!known.has(name)) problems.push(`unexpected log line "${line}"`);
    else if (line[0] === "+") {
      if (started.has(name)) problems.push(`${name} ran twice`);
      started.set(name, index);
      peak = Math.max(peak, ++running);
    } else {
      ended.set(name, index);
      running--;
    }
  });
  for (const task of workload.tasks.filter((t) => t.action)) {
    if (!started.has(task.name)) problems.push(`${task.name} never ran`);
    else if (!ended.has(task.name)) problems.push(`${task.name} never finished`);
    else {
      for (const dep of actionDeps(workload, task)) {
        if (!(ended.get(dep) < started.get(task.name))) problems.push(`${task.name} started before its dep ${dep} finished`);
      }
    }
  }
  if (peak > workload.jobs) problems.push(`${peak} tasks ran at once, more than -j${workload.jobs}`);
  if (workload.fullConcurrency && peak < workload.jobs) problems.push(`never more than ${peak} tasks at once; -j${workload.jobs} expected ${workload.jobs}`);
  return problems;
}

/** What is wrong with a listing: every task must be named (make -n names none, so it must print each recipe). */
function checkListing(runner, workload, stdout) {
  const output = readFileSync(stdout, "utf8");
  if (runner === "node") return [];
  if (runner === "make") {
    const lines = output.split("\n").filter(Boolean).length;
    const recipes = workload.tasks.filter((t) => t.action).length;
    return lines >= recipes ? [] : [`printed ${lines} lines for ${recipes} recipes`];
  }
  const words = new Set(output.split(/[\s,]+/));
  const missing = workload.tasks.filter((t) => !words.has(t.name)).map((t) => t.name);
  return missing.length === 0 ? [] : [`the listing lacks ${missing.length} tasks (${missing.slice(0, 3).join(", ")}...)`];
}

const describeFailure = (result) => [result.reason, result.stderrTail].filter(Boolean).join("\n");

/** Runs the checking variant of a workload for each runner; a runner that does not do the workload right is failed, not timed. */
async function verify(workload, root, runners, options, env, scratch) {
  const failures = {};
  if (workload.mode === "list") {
    const dir = join(root, workload.name);
    for (const runner of runners) {
      const result = await timeProcess({ argv: commandFor(runner, workload, options), cwd: dir, env, scratch });
      const problems = result.ok ? checkListing(runner, workload, result.stdout) : [describeFailure(result)];
      if (problems.length > 0) failures[runner] = `check failed: ${problems.slice(0, 5).join("; ")}`;
    }
    return failures;
  }
  const dir = join(root, `${workload.name}.check`);
  const log = join(dir, "tasks.log");
  writeProject(dir, workload, log);
  for (const runner of runners) {
    writeFileSync(log, "");
    const result = await timeProcess({ argv: commandFor(runner, workload, options), cwd: dir, env, scratch });
    const problems = result.ok ? checkLog(workload, readFileSync(log, "utf8")) : [describeFailure(result)];
    if (problems.length > 0) failures[runner] = `check failed: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`;
  }
  return failures;
}

const progress = (text) => process.stderr.write(text);

/** Verifies, then times the runners of one workload in interleaved rounds; returns one row per pass. */
async function measure(workload, root, options, env, scratch) {
  const runs = options.runs ?? workload.runs;
  const warmup = options.warmup ?? workload.warmup;
  const passes = workload.passes ?? [undefined];
  const rows = passes.map((pass) => ({ workload, pass, runners: Object.fromEntries(workload.runners.map((r) => [r, { walls: [], rss: [] }])) }));
  const markFailed = (runner, why) => rows.forEach((row) => (row.runners[runner].failure ??= why));
  const active = () => workload.runners.filter((r) => !rows[0].runners[r].failure);

  const shared = join(root, workload.name);
  if (workload.tasks.length > 0) writeProject(shared, workload);
  else mkdirSync(shared, { recursive: true });
  if (workload.tasks.length > 0) {
    progress(`${workload.name}: checking that each runner does the workload... `);
    const failures = await verify(workload, root, workload.runners, options, env, scratch);
    for (const [runner, why] of Object.entries(failures)) markFailed(runner, why);
    progress(`${workload.runners.map((r) => `${r} ${failures[r] ? "FAILED" : "ok"}`).join(", ")}\n`);
  }
  // A run faster than any schedule allows ran too much at once or skipped work: it is a failure, not a good time.
  const bound = workload.mode === "run" ? lowerBound(workload) : 0;

  for (let round = -warmup; round < runs; round++) {
    const label = round < 0 ? `warm-up ${round + warmup + 1}/${warmup}` : `run ${round + 1}/${runs}`;
    let dir = shared;
    if (workload.fresh) {
      // The durations a runner may have kept from earlier runs belong to the 2nd pass only: each round starts from new files.
      dir = join(root, `${workload.name}.round${round + warmup}`);
      cpSync(shared, dir, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes(`${shared}/.mity`) });
      for (const runner of active()) {
        const result = await timeProcess({ argv: primeCommand(runner, workload, options), cwd: dir, env, scratch });
        if (!result.ok) markFailed(runner, `preparing a fresh folder failed: ${describeFailure(result)}`);
      }
    }
    const shown = [];
    for (const [index, row] of rows.entries()) {
      for (const runner of active()) {
        const result = await timeProcess({ argv: commandFor(runner, workload, options), cwd: dir, env, scratch });
        if (!result.ok) markFailed(runner, `${label}${row.pass ? ` (${row.pass})` : ""}: ${describeFailure(result)}`);
        else if (result.wall < bound * 0.98) {
          markFailed(runner, `${label}: finished in ${result.wall.toFixed(3)} s, faster than the ${bound.toFixed(2)} s any schedule at -j${workload.jobs} needs (too many tasks at once, or tasks skipped)`);
        } else {
          if (round >= 0) {
            row.runners[runner].walls.push(result.wall);
            row.runners[runner].rss.push(result.rssKiB);
          }
          shown.push(`${runner}${rows.length > 1 ? `#${index + 1}` : ""} ${result.wall.toFixed(3)}`);
        }
      }
    }
    if (workload.fresh && !options.keep) rmSync(dir, { recursive: true, force: true });
    progress(`${workload.name}: ${label}: ${shown.join(", ") || "nothing ran"}\n`);
  }
  return rows;
}

function machine() {
  const info = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const processors = (info.match(/^processor\s*:/gm) ?? []).length;
  const read = (file, args) => {
    try {
      return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0].trim();
    } catch {
      return "unknown";
    }
  };
  const version = (path) => JSON.parse(readFileSync(path, "utf8")).version;
  return [
    `- Node ${process.version} (\`node --version\`), ${process.platform} ${process.arch}`,
    `- CPU: ${model}, ${processors} cores in /proc/cpuinfo (availableParallelism ${availableParallelism()}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `- Load average when started: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `- mity ${version(join(REPO, "package.json"))} at commit ${read("git", ["-C", REPO, "rev-parse", "--short", "HEAD"])} (working tree as it was), ${read("make", ["--version"])}, hereby ${version(join(HEREBY_PACKAGE, "package.json"))}`,
    `- Date: ${new Date().toISOString()}`,
  ].join("\n");
}

/** A mity built before the latest edit of lib/ would measure old code. */
function warnIfStale(options) {
  const built = join(REPO, "dist", "cli.js");
  if (!existsSync(options.mity)) fail(`${options.mity} does not exist`);
  if (options.customMity) return;
  if (!existsSync(built)) fail(`mity is not built: run "npm run build" first`);
  const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
  if (newest(join(REPO, "lib")) > statSync(built).mtimeMs) progress(`bench: warning: lib/ changed after the last build; run "npm run build" to measure the current code\n`);
}

async function main() {
  const argv = process.argv.slice(2);
  const parsed = parseOptions(argv, {
    usage: USAGE,
    defaults: { runs: undefined, warmup: undefined, mity: join(REPO, "bin", "mity.js") },
    counts: { "--runs": ["runs", 1], "--warmup": ["warmup", 0] },
    values: { "--mity": "mity" },
    positional: true,
  });
  const options = { ...parsed, customMity: argv.includes("--mity") };
  const workloads = selectWorkloads(options.names);
  warnIfStale(options);
  if (!existsSync(HEREBY)) fail(`hereby is not installed at ${HEREBY}: run "npm install"`);
  const command = ["node", "bench/run.mjs", ...argv].join(" ");
  const about = machine();
  const { root, scratch, cleanup } = workspace("mity-bench-", options.keep);
  progress(`bench: generated files in ${root}${options.keep ? "" : " (removed at the end; --keep keeps them)"}\n`);

  const env = cleanEnv();
  const rows = [];
  try {
    rows.push(...(await measure(BASELINE, root, options, env, scratch)));
    for (const workload of workloads) rows.push(...(await measure(workload, root, options, env, scratch)));
  } finally {
    cleanup();
  }

  const failures = failureList(rows);
  const report = [
    "# mity benchmark results",
    "",
    `Command: \`${command}\` (from the repository root)`,
    "",
    about,
    `- Load average when done: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    "",
    "Median wall time of the whole process · peak RSS (largest of the runs). Ratios are medians of per-round ratios",
    "(runners timed back to back, A B C A B C ...); below 1.00x mity is faster. See bench/README.md.",
    "",
    mainTable(rows),
    "",
    "## Targets (BENCH.md)",
    "",
    targetList(rows) || "- none of the selected workloads has a target",
    ...(failures ? ["", "## Failures", "", failures] : []),
    "",
    "## Spread",
    "",
    detailTable(rows),
    "",
  ].join("\n");
  console.log(`\n${report}`);
  const results = join(BENCH, "results");
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, "latest.md"), report);
  const shown = (argv) => argv.map((a) => (a === NODE ? "node" : a.startsWith(`${REPO}/`) ? relative(REPO, a) : a)).join(" ");
  const raw = rows.map((row) => ({
    workload: rowLabel(row),
    runners: Object.fromEntries(Object.entries(row.runners).map(([runner, entry]) => [
      runner,
      { command: shown(commandFor(runner, row.workload, options)), walls: entry.walls.map((w) => Math.round(w * 1e6) / 1e6), rssKiB: entry.rss, failure: entry.failure },
    ])),
  }));
  writeFileSync(join(results, "latest.json"), `${JSON.stringify({ command, rows: raw }, null, 2)}\n`);
  progress(`bench: wrote ${relative(process.cwd(), join(results, "latest.md"))}\n`);
  process.exitCode = failures ? 1 : 0;
}

await main();
