#!/usr/bin/env node
// Counts the machine instructions mity runs a workload with, for one build or several: a figure that does
// not move with the machine's load, for comparing builds where wall time is too noisy to tell 5 % apart.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fail, parseOptions, workspace } from "./cli.mjs";
import { cleanEnv } from "./measure.mjs";
import { WORKLOADS, mityfile } from "./workloads.mjs";

const MITY = fileURLToPath(new URL("../bin/mity.js", import.meta.url));
const USAGE = `Usage: node bench/instructions.mjs <workload ...> [--mity PATH ...] [--runs N]

Runs each workload's mity command under valgrind (callgrind, no cache simulation) and prints the
instructions executed, every thread counted: start-up, loading, scheduling, the JIT and the garbage
collector. Needs valgrind (apt-get install valgrind); a run takes 20 to 100 times as long as without it.

Workloads: ${WORKLOADS.filter((w) => w.tasks.every((t) => t.action?.kind !== "command")).map((w) => w.name).join(", ")}
(those that start no process: a child's instructions are not counted)

Options:
  --mity PATH    a mity CLI script to count; give it again to compare builds (default: bin/mity.js)
  --runs N       counted runs per build, interleaved (default 3); the median is shown
  --keep         keep the generated folders`;

const argv = process.argv.slice(2);
const builds = [];
for (let i = 0; i < argv.length; i++) if (argv[i] === "--mity") builds.push(resolve(argv[++i] ?? fail("--mity takes a path")));
const options = parseOptions(argv.filter((arg, i) => arg !== "--mity" && argv[i - 1] !== "--mity"), { usage: USAGE, defaults: { runs: 3 }, counts: { "--runs": ["runs", 1] }, positional: true });
if (builds.length === 0) builds.push(MITY);
if (options.names.length === 0) fail(`name at least one workload\n\n${USAGE}`);
const workloads = options.names.map((name) => WORKLOADS.find((w) => w.name === name) ?? fail(`no workload "${name}"`));
for (const workload of workloads) {
  if (workload.tasks.some((t) => t.action?.kind === "command")) fail(`${workload.name} starts processes, whose instructions valgrind does not count here`);
}
if (spawnSync("valgrind", ["--version"]).status !== 0) fail("valgrind is not installed (apt-get install valgrind)");

/** The environment of every run: without extra CA certificates, which Node reads at its start (a third of a short run's instructions where set) and mity never uses. */
const env = cleanEnv();
delete env.NODE_EXTRA_CA_CERTS;

/** The instructions of one run, from callgrind's closing line. */
function count(command, cwd) {
  const result = spawnSync("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", "--cache-sim=no", "--branch-sim=no", ...command], { cwd, env, encoding: "utf8" });
  const refs = /refs:\s+([\d,]+)/.exec(result.stderr)?.[1];
  if (result.status !== 0 || !refs) fail(`${command.join(" ")} failed under valgrind (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  return Number(refs.replaceAll(",", ""));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const { root, cleanup } = workspace("mity-instructions-", options.keep);
const rows = [];
for (const workload of workloads) {
  const dir = join(root, workload.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "mityfile.ts"), mityfile(workload));
  const commandOf = (build) => workload.mode === "list" ? [process.execPath, build, "--list"] : [process.execPath, build, "--parallel", "-j", String(workload.jobs), ...(workload.mityArgs ?? []), workload.target];
  // Untimed runs first: the mityfile compiled, the code caches made and grown, as in a project used daily.
  for (const build of builds) for (let i = 0; i < 4; i++) spawnSync(commandOf(build)[0], commandOf(build).slice(1), { cwd: dir, env });
  const counts = builds.map(() => []);
  for (let run = 0; run < options.runs; run++) {
    builds.forEach((build, i) => {
      counts[i].push(count(commandOf(build), dir));
      process.stderr.write(`bench: ${workload.name} run ${run + 1}/${options.runs}, build ${i + 1}/${builds.length}\n`);
    });
  }
  const first = median(counts[0]);
  builds.forEach((build, i) => rows.push(`| \`${workload.name}\` | \`${build}\` | ${(median(counts[i]) / 1e6).toFixed(1)} M | ${counts[i].map((n) => (n / 1e6).toFixed(0)).join(", ")} | ${(median(counts[i]) / first).toFixed(3)}x |`));
}
cleanup();
console.log(["| workload | mity | instructions (median) | each run (M) | vs. the first |", "|---|---|---|---|---|", ...rows].join("\n"));
