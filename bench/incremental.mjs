#!/usr/bin/env node
// Times mity's up-to-date check against make on 10,000 input files: `node bench/incremental.mjs [--runs N] [--warmup N] [--files N] [--keep]`.
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, timeProcess } from "./measure.mjs";
import { median, pairedRatio, saveReport, toolVersion } from "./report.mjs";
import { fail, parseOptions, workspace } from "./cli.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = dirname(BENCH);
const MITY = join(REPO, "bin", "mity.js");

const USAGE = `Usage: node bench/incremental.mjs [options]

One task over N input files (inputs: ["src/**/*.txt"], outputs: ["out.txt"]) and the same rule
in a Makefile (out.txt: $(wildcard src/*.txt)). After a first run, each round times, back to back:
  up to date:   mity, make -q, make -q -r, make, make -r, node -e 0
  one changed:  mity, make, make -r (one input is rewritten before each, so each rebuilds)

Options:
  --runs N      timed rounds (default 15)
  --warmup N    untimed rounds first (default 2)
  --files N     input files (default 10000)
  --keep        keep the generated folder (its path is printed)
  -h, --help    this text

Writes the table to bench/results/incremental.md.`;



const RECIPE = "cat src/*.txt > out.txt";

/** The tree both runners work on: the same inputs, the same output, the same command. */
function writeTree(dir, files) {
  mkdirSync(join(dir, "src"), { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(dir, "src", `f${i}.txt`), `line ${i}\n`);
  writeFileSync(join(dir, "mityfile.ts"), `export default {\n  tasks: {\n    out: { inputs: ["src/**/*.txt"], outputs: ["out.txt"], run: ${JSON.stringify(RECIPE)} },\n  },\n};\n`);
  // The recipe line starts with a tab, as make requires.
  writeFileSync(join(dir, "Makefile"), `out.txt: $(wildcard src/*.txt)\n\t${RECIPE}\n`);
}

/** Rewrites one input with new content (and so a new size or mtime), outside the timed runs. */
let edits = 0;
/** Rewrites one input, dated after out.txt: within one clock tick make would otherwise see no change. */
function changeOneInput(dir, files) {
  const input = join(dir, "src", `f${Math.floor(files / 2)}.txt`);
  writeFileSync(input, `edit ${++edits}\n`);
  const later = new Date(statSync(join(dir, "out.txt")).mtimeMs + 1000);
  utimesSync(input, later, later);
}

const read = (path) => readFileSync(path, "utf8");

/**
 * Each runner: its command, the exit code it must end with, and what its output must show, so a run
 * that did the wrong thing (rebuilt when up to date, or skipped a change) fails instead of being timed.
 */
const RUNNERS = {
  upToDate: [
    { name: "mity", argv: ["node", MITY, "out"], code: 0, check: (out) => /\[out\] up-to-date/.test(out) },
    { name: "make -q", argv: ["make", "-q", "out.txt"], code: 0, check: () => true },
    // -r: no built-in implicit rules, which make otherwise tries on every prerequisite; the fast make.
    { name: "make -q -r", argv: ["make", "-q", "-r", "out.txt"], code: 0, check: () => true },
    { name: "make", argv: ["make", "out.txt"], code: 0, check: (out) => /is up to date/.test(out) },
    { name: "make -r", argv: ["make", "-r", "out.txt"], code: 0, check: (out) => /is up to date/.test(out) },
    { name: "node -e 0", argv: ["node", "-e", "0"], code: 0, check: () => true },
  ],
  changed: [
    { name: "mity", argv: ["node", MITY, "out"], code: 0, check: (out) => /\[out\] ok/.test(out), before: changeOneInput },
    { name: "make", argv: ["make", "out.txt"], code: 0, check: (out) => out.includes(RECIPE), before: changeOneInput },
    { name: "make -r", argv: ["make", "-r", "out.txt"], code: 0, check: (out) => out.includes(RECIPE), before: changeOneInput },
  ],
};

/** Interleaved rounds (A B C A B C ...): a busy moment slows every runner of a round alike. */
async function measure(label, runners, { dir, env, scratch, options }) {
  const row = { label, runners: Object.fromEntries(runners.map((r) => [r.name, { walls: [], rss: [] }])) };
  for (let round = -options.warmup; round < options.runs; round++) {
    const shown = [];
    for (const runner of runners) {
      runner.before?.(dir, options.files);
      const result = await timeProcess({ argv: runner.argv, cwd: dir, env, scratch });
      const out = read(result.stdout);
      if (result.code !== runner.code || !runner.check(out)) {
        fail(`${label}, ${runner.name}: exit ${result.code}${result.reason ? ` (${result.reason})` : ""}, output did not show the expected work:\n${out}${result.stderrTail}`);
      }
      if (round >= 0) {
        row.runners[runner.name].walls.push(result.wall);
        row.runners[runner.name].rss.push(result.rssKiB);
      }
      shown.push(`${runner.name} ${result.wall.toFixed(3)}`);
    }
    process.stderr.write(`${label}: ${round < 0 ? `warm-up ${round + options.warmup + 1}` : `run ${round + 1}/${options.runs}`}: ${shown.join(", ")}\n`);
  }
  return row;
}

const seconds = (s) => `${s.toFixed(3)} s`;
const times = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : "–");

function table(rows) {
  const lines = ["| case | runner | median | min | max | mity / runner (paired) |", "|---|---|---|---|---|---|"];
  for (const row of rows) {
    for (const [name, entry] of Object.entries(row.runners)) {
      const ratio = name === "mity" ? "" : times(pairedRatio(row, "mity", name));
      lines.push(`| ${row.label} | ${name === "node -e 0" ? "`node -e 0`" : name === "mity" ? "mity" : `\`${name}\``} | ${seconds(median(entry.walls))} | ${seconds(Math.min(...entry.walls))} | ${seconds(Math.max(...entry.walls))} | ${ratio} |`);
    }
  }
  return lines.join("\n");
}


async function main() {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv, {
    usage: USAGE,
    defaults: { runs: 15, warmup: 2, files: 10_000 },
    counts: { "--runs": ["runs", 1], "--warmup": ["warmup", 0], "--files": ["files", 1] },
  });
  if (!existsSync(join(REPO, "dist", "cli.js"))) fail(`mity is not built: run "npm run build" first`);
  const command = ["node", "bench/incremental.mjs", ...argv].join(" ");
  const { root, scratch, cleanup } = workspace("mity-bench-incremental-", options.keep);
  const dir = join(root, "tree");
  const env = cleanEnv();
  const started = loadavg();
  process.stderr.write(`bench: ${options.files} files in ${dir}${options.keep ? "" : " (removed at the end; --keep keeps them)"}\n`);
  writeTree(dir, options.files);

  const rows = [];
  try {
    // The first run builds out.txt and records the state; make then finds out.txt newer than every input.
    const first = await timeProcess({ argv: ["node", MITY, "out"], cwd: dir, env, scratch });
    if (!first.ok) fail(`the first mity run failed: ${first.reason}\n${first.stderrTail}`);
    process.stderr.write(`first run (mity, builds and records ${options.files} files): ${first.wall.toFixed(3)} s\n`);
    rows.push(await measure("up to date", RUNNERS.upToDate, { dir, env, scratch, options }));
    rows.push(await measure("one input changed", RUNNERS.changed, { dir, env, scratch, options }));
  } finally {
    cleanup();
  }

  const report = [
    "# mity incremental benchmark",
    "",
    `Command: \`${command}\` (from the repository root, after \`npm run build\`)`,
    "",
    `- ${options.files} input files \`src/f<i>.txt\`; mity: \`out: { inputs: ["src/**/*.txt"], outputs: ["out.txt"], run: "${RECIPE}" }\`;`,
    `  make: \`out.txt: $(wildcard src/*.txt)\` with the same recipe. mity runs as \`node bin/mity.js out\` (prefix output, as stdout is a file).`,
    "- `-r` turns off make's built-in implicit rules: without it make looks for a way to remake each of the N",
    "  prerequisites (RCS, SCCS, `%.txt` rules...), which is most of its time here. `make -q` only answers by its exit code.",
    `- ${options.runs} timed rounds after ${options.warmup} warm-up rounds; in each round the runners go back to back. "one input changed":`,
    "  one file is rewritten before each runner's run, so every timed run rebuilds.",
    `- Node ${process.version}, ${toolVersion("make", ["--version"])}, ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores)`,
    `- Load average when started: ${started.map((l) => l.toFixed(2)).join(" ")}; when done: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `- Date: ${new Date().toISOString()}`,
    "",
    "Wall time of the whole process (spawn to exit). The ratio is the median of per-round mity/runner ratios; below 1.00x mity is faster.",
    "",
    table(rows),
    "",
  ].join("\n");
  saveReport("incremental.md", report);
}

await main();
