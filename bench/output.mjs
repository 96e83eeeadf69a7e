#!/usr/bin/env node
// Times one task printing N lines (`seq N`) in each output mode: the time per line should stay flat as N grows.
// `node bench/output.mjs [--runs N] [--mity PATH] [--keep]`; writes bench/results/output.md.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { fail, parseOptions, workspace } from "./cli.mjs";
import { cleanEnv, timeProcess } from "./measure.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = dirname(BENCH);
const MODES = ["prefix", "grouped", "raw", "json"];
const SIZES = [10_000, 100_000, 1_000_000];

const USAGE = `Usage: node bench/output.mjs [options]

Runs \`mity s --output <mode>\` where s is \`seq N\`, for N = ${SIZES.join(", ")} and the modes ${MODES.join(", ")}
(the live view needs a terminal and is left out), stdout to a file, and prints the median time, the
time per line (beyond the smallest size) and the peak memory.

Options:
  --runs N       timed runs of each (default 3, after one untimed run)
  --mity PATH    the mity CLI script to run with node (default: bin/mity.js of this repository)
  --keep         keep the generated folders`;

const options = parseOptions(process.argv.slice(2), { usage: USAGE, defaults: { runs: 3, mity: join(REPO, "bin", "mity.js") }, counts: { "--runs": ["runs", 1] }, values: { "--mity": "mity" } });
const { root, scratch, cleanup } = workspace("mity-bench-output-", options.keep);
const env = cleanEnv();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
for (const size of SIZES) {
  const dir = join(root, `seq-${size}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "mityfile.ts"), `export default { tasks: { s: { run: "seq ${size}" } } };\n`);
  for (const mode of MODES) {
    const argv = [process.execPath, options.mity, "s", "--output", mode];
    const walls = [];
    const rss = [];
    for (let run = -1; run < options.runs; run++) {
      const result = await timeProcess({ argv, cwd: dir, env, scratch, timeoutMs: 600_000 });
      if (!result.ok) fail(`seq ${size}, --output ${mode}: ${result.reason}\n${result.stderrTail}`);
      // The last line must have come out (grouped shows a task's last megabyte), or the time means nothing.
      if (!new RegExp(`(^|[ "])${size}("|$)`, "m").test(readFileSync(result.stdout, "utf8"))) fail(`seq ${size}, --output ${mode}: the last line did not come out`);
      if (run >= 0) walls.push(result.wall), rss.push(result.rssKiB);
    }
    const wall = median(walls);
    rows.push({ size, mode, wall, rss: Math.max(...rss) });
    process.stderr.write(`seq ${size} --output ${mode}: ${wall.toFixed(3)} s\n`);
  }
}

function perLine(row) {
  const base = rows.find((r) => r.mode === row.mode && r.size === SIZES[0]);
  return row.size === SIZES[0] ? "" : `${(((row.wall - base.wall) / (row.size - SIZES[0])) * 1e6).toFixed(2)} µs`;
}

const lines = [
  "# mity: one task printing N lines, in each output mode",
  "",
  `Command: \`node ${relative(REPO, fileURLToPath(import.meta.url))} --runs ${options.runs}\`; median of ${options.runs} runs after one untimed run,`,
  `stdout to a file. Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}.`,
  "",
  "\"per line\" is the time beyond the smallest size's (start-up and all), divided by the lines beyond it:",
  "it should be about the same for 100,000 and 1,000,000 lines.",
  "",
  "| lines | mode | median | per line | peak memory |",
  "|---:|---|---:|---:|---:|",
  ...rows.map((r) => `| ${r.size.toLocaleString("en")} | ${r.mode} | ${r.wall.toFixed(3)} s | ${perLine(r)} | ${Math.round(r.rss / 1024)} MiB |`),
  "",
];
writeFileSync(join(BENCH, "results", "output.md"), lines.join("\n"));
process.stdout.write(lines.join("\n"));
cleanup();
