#!/usr/bin/env node
// Times how long `git commit` takes to reach the first task of mity's pre-commit hook: `node bench/hook.mjs [--runs N] [--warmup N] [--keep]`.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { cleanEnv } from "./measure.mjs";
import { median, pairedRatio, saveReport, toolVersion } from "./report.mjs";
import { fail, parseOptions, workspace } from "./cli.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = dirname(BENCH);
const MITY = join(REPO, "bin", "mity.js");

const USAGE = `Usage: node bench/hook.mjs [options]

A git repository with mity's pre-commit hook installed ("mity --install-hooks"), mity found as the
project's node_modules/.bin/mity (a symlink to this checkout's bin/mity.js, as npm makes it), and one
task that writes \`date +%s%N\` to a file. Each round, back to back, with one file staged each time:
  git commit, hooked:        spawn -> the task's timestamp, and spawn -> git exits
  mity --hook pre-commit:    the same two, mity started directly (no git, no hook script)
  git commit, no hook:       spawn -> git exits (a second repository without hooks)
  node -e 0:                 spawn -> exit
  sh -c 'date +%s%N':        spawn -> the timestamp (what taking the timestamp itself costs)

Options:
  --runs N      timed rounds (default 15)
  --warmup N    untimed rounds first (default 3)
  --keep        keep the generated folder (its path is printed)
  -h, --help    this text

Writes the table to bench/results/hook.md.`;



/**
 * Epoch milliseconds (µs precision) on the clock `date +%s%N` reads. The offset to the monotonic clock is
 * taken afresh at a tick of Date.now(), so a clock slewed during a long run does not skew the samples.
 */
function realtimeClock() {
  const first = Date.now();
  let tick;
  while ((tick = Date.now()) === first);
  const offset = tick - performance.now();
  return () => offset + performance.now();
}

/** Epoch ms from a `date +%s%N` file, keeping µs (a double cannot hold the ns count exactly). */
const readStamp = (path) => Number(BigInt(readFileSync(path, "utf8").trim()) / 1000n) / 1000;

/** Spawns `argv`; resolves with the epoch ms just before the spawn, at exit, the exit code and stderr. */
function launch(argv, cwd, env) {
  return new Promise((resolve) => {
    const now = realtimeClock();
    let stderr = "";
    const before = now();
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => resolve({ before, after: NaN, code: -1, stderr: error.message }));
    child.on("exit", (code) => {
      const after = now();
      child.on("close", () => resolve({ before, after, code, stderr }));
    });
  });
}

const git = (cwd, env, ...args) => execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** A repository with one commit of `files`, a local identity, no signing. */
function makeRepo(dir, env, files) {
  mkdirSync(dir, { recursive: true });
  git(dir, env, "init", "-q");
  git(dir, env, "config", "user.name", "Mity Bench");
  git(dir, env, "config", "user.email", "bench@example.com");
  git(dir, env, "config", "commit.gpgsign", "false");
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  git(dir, env, "add", "-A");
  git(dir, env, "commit", "-q", "--no-verify", "-m", "base");
}

/** One staged change per commit, made outside the timed part. */
let edits = 0;
function stageChange(dir, env) {
  writeFileSync(join(dir, "file.txt"), `edit ${++edits}\n`);
  git(dir, env, "add", "file.txt");
}

const CASES = [
  { key: "hooked", title: "`git commit` with mity's pre-commit hook → the task starts", stamp: true },
  { key: "hookedExit", title: "`git commit` with mity's pre-commit hook → git exits" },
  { key: "direct", title: "`mity --hook pre-commit` started directly → the task starts", stamp: true },
  { key: "directExit", title: "`mity --hook pre-commit` started directly → mity exits" },
  { key: "plain", title: "`git commit`, no hook → git exits" },
  { key: "node", title: "`node -e 0` → exits" },
  { key: "date", title: "`sh -c 'date +%s%N > file'` → the timestamp", stamp: true },
];

const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : "–");
const times = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : "–");

function table(row) {
  const lines = ["| measurement | median | min | max | ÷ `node -e 0` (paired) |", "|---|---|---|---|---|"];
  for (const { key, title } of CASES) {
    const walls = row.runners[key].walls;
    const ratio = key === "node" ? "" : times(pairedRatio(row, key, "node"));
    lines.push(`| ${title} | ${ms(median(walls))} | ${ms(Math.min(...walls))} | ${ms(Math.max(...walls))} | ${ratio} |`);
  }
  return lines.join("\n");
}


async function main() {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv, { usage: USAGE, defaults: { runs: 15, warmup: 3 }, counts: { "--runs": ["runs", 1], "--warmup": ["warmup", 0] } });
  if (!existsSync(join(REPO, "dist", "cli.js"))) fail(`mity is not built: run "npm run build" first`);
  const command = ["node", "bench/hook.mjs", ...argv].join(" ");
  const { root, cleanup } = workspace("mity-bench-hook-", options.keep);

  // The machine's git config (a global core.hooksPath, signing) and a surrounding hook's GIT_* stay out.
  const env = cleanEnv();
  for (const key of Object.keys(env)) if (key.startsWith("GIT_")) delete env[key];
  Object.assign(env, { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" });

  const hooked = join(root, "hooked");
  const plain = join(root, "plain");
  const stamp = join(root, "stamp.txt");
  const mityfile = `export default {\n  tasks: { first: { run: ${JSON.stringify(`date +%s%N > ${stamp}`)} } },\n  hooks: { "pre-commit": ["first"] },\n};\n`;
  makeRepo(hooked, env, { "mityfile.ts": mityfile, ".gitignore": "node_modules/\n", "file.txt": "base\n" });
  makeRepo(plain, env, { "file.txt": "base\n" });
  mkdirSync(join(hooked, "node_modules", ".bin"), { recursive: true });
  symlinkSync(MITY, join(hooked, "node_modules", ".bin", "mity"));
  const installed = execFileSync("node", [MITY, "--install-hooks"], { cwd: hooked, env, encoding: "utf8" });
  process.stderr.write(`bench: repositories in ${root}${options.keep ? "" : " (removed at the end; --keep keeps them)"}\n${installed}`);

  /** Runs one case and returns [ms to the timestamp or NaN, ms to exit]; a failure stops the benchmark. */
  const sample = async (name, argv, cwd, expectStamp) => {
    if (existsSync(stamp)) unlinkSync(stamp);
    const run = await launch(argv, cwd, env);
    if (run.code !== 0) fail(`${name}: exit code ${run.code}\n${run.stderr}`);
    if (expectStamp && !existsSync(stamp)) fail(`${name}: the task never wrote its timestamp\n${run.stderr}`);
    return [expectStamp ? readStamp(stamp) - run.before : NaN, run.after - run.before];
  };

  const row = { runners: Object.fromEntries(CASES.map(({ key }) => [key, { walls: [] }])) };
  const started = loadavg();
  try {
    for (let round = -options.warmup; round < options.runs; round++) {
      const got = {};
      stageChange(hooked, env);
      [got.direct, got.directExit] = await sample("mity --hook pre-commit", ["node", MITY, "--hook", "pre-commit"], hooked, true);
      [got.hooked, got.hookedExit] = await sample("git commit (hooked)", ["git", "commit", "-q", "-m", `round ${round}`], hooked, true);
      stageChange(plain, env);
      [, got.plain] = await sample("git commit (no hook)", ["git", "commit", "-q", "-m", `round ${round}`], plain, false);
      [, got.node] = await sample("node -e 0", ["node", "-e", "0"], root, false);
      [got.date] = await sample("sh -c date", ["sh", "-c", `date +%s%N > ${stamp}`], root, true);
      if (round >= 0) for (const { key } of CASES) row.runners[key].walls.push(got[key]);
      const shown = CASES.map(({ key }) => `${key} ${got[key].toFixed(1)}`).join(", ");
      process.stderr.write(`${round < 0 ? `warm-up ${round + options.warmup + 1}` : `run ${round + 1}/${options.runs}`}: ${shown}\n`);
    }
  } finally {
    cleanup();
  }

  const report = [
    "# mity git hook start-up benchmark",
    "",
    `Command: \`${command}\` (from the repository root, after \`npm run build\`)`,
    "",
    "- A git repository with `hooks: { \"pre-commit\": [\"first\"] }` installed by `mity --install-hooks`; mity is the",
    "  project's `node_modules/.bin/mity` (a symlink to this checkout's `bin/mity.js`); the task is",
    "  `date +%s%N > stamp.txt`. One file is staged before each commit, outside the timed part.",
    "- \"→ the task starts\": from just before spawning the command to the task's `date +%s%N`; \"→ exits\": spawn to exit.",
    "  The last row is what spawning a shell and `date` costs, so it is included in the \"task starts\" rows too.",
    `- ${options.runs} timed rounds after ${options.warmup} warm-up rounds; in each round every case runs once, back to back.`,
    "  The ratio is the median of per-round ratios to `node -e 0`, the floor of any Node program.",
    `- Node ${process.version}, ${toolVersion("git", ["--version"])}, ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores)`,
    `- Load average when started: ${started.map((l) => l.toFixed(2)).join(" ")}; when done: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `- Date: ${new Date().toISOString()}`,
    "",
    table(row),
    "",
  ].join("\n");
  saveReport("hook.md", report);
}

await main();
