// Turns the timed samples into the Markdown that run.mjs prints and writes: medians, paired ratios, targets.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const RESULTS = fileURLToPath(new URL("results", import.meta.url));

/** Prints a report and keeps it as bench/results/<name>. */
export function saveReport(name, report) {
  console.log(`\n${report}`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, name), report);
  process.stderr.write(`bench: wrote ${relative(process.cwd(), join(RESULTS, name))}\n`);
}

/** The first line a tool prints of its version, for the machine description. */
export function toolVersion(file, args) {
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0].trim();
  } catch {
    return "unknown";
  }
}

export const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The runner's samples, or nothing when it failed (a failed runner's times are not results). */
const samplesOf = (row, runner) => (row.runners[runner] && !row.runners[runner].failure ? row.runners[runner].walls : undefined);

export const medianOf = (row, runner) => {
  const walls = samplesOf(row, runner);
  return walls ? median(walls) : NaN;
};

/** Median of a/b taken round by round: both ran back to back, so machine drift cancels out. */
export function pairedRatio(row, a, b) {
  const left = samplesOf(row, a);
  const right = samplesOf(row, b);
  if (!left || !right) return NaN;
  return median(left.map((value, i) => value / right[i]));
}

export const peakRss = (row, runner) => {
  const entry = row.runners[runner];
  return entry && !entry.failure && entry.rss.length > 0 ? Math.max(...entry.rss) : NaN;
};

const seconds = (s) => (Number.isFinite(s) ? `${s.toFixed(3)} s` : "–");
const mib = (kib) => (Number.isFinite(kib) ? `${Math.round(kib / 1024)} MiB` : "–");
const times = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : "–");

const COLUMNS = ["mity", "make", "hereby", "node"];
const TITLES = { mity: "mity", make: "make", hereby: "hereby", node: "`node -e 0`" };

export const rowLabel = (row) => (row.pass ? `${row.workload.name} (${row.pass})` : row.workload.name);

function cell(row, runner) {
  const entry = row.runners[runner];
  if (!entry) return "";
  if (entry.failure) return "**FAILED**";
  return `${seconds(medianOf(row, runner))} · ${mib(peakRss(row, runner))}`;
}

function referenceCell(row) {
  const { workload } = row;
  if (workload.runners.includes("node") && workload.runners.includes("mity")) return `mity ${times(pairedRatio(row, "mity", "node"))} \`node -e 0\``;
  if (!workload.reference) return "";
  const { label, seconds: ideal } = workload.reference;
  const each = ["mity", "make", "hereby"].filter((r) => row.runners[r]).map((r) => `${r} ${times(medianOf(row, r) / ideal)}`);
  return `${each.join(" · ")} (${label} ${ideal.toFixed(1)} s)`;
}

/** The main table: one row per workload (and per pass), median wall time · peak RSS per runner. */
export function mainTable(rows) {
  const lines = [
    `| workload | ${COLUMNS.map((c) => TITLES[c]).join(" | ")} | mity/make | mity/hereby | vs. floor / ideal |`,
    `|---|${COLUMNS.map(() => "---").join("|")}|---|---|---|`,
  ];
  for (const row of rows) {
    const ratio = (peer) => (row.runners.mity && row.runners[peer] ? times(pairedRatio(row, "mity", peer)) : "");
    lines.push(`| \`${rowLabel(row)}\` | ${COLUMNS.map((c) => cell(row, c)).join(" | ")} | ${ratio("make")} | ${ratio("hereby")} | ${referenceCell(row)} |`);
  }
  return lines.join("\n");
}

/** Every runner's spread, to judge how noisy the medians are. */
export function detailTable(rows) {
  const lines = ["| workload | runner | runs | median | min | max | peak RSS |", "|---|---|---|---|---|---|---|"];
  for (const row of rows) {
    for (const [runner, entry] of Object.entries(row.runners)) {
      const walls = entry.walls.filter(Number.isFinite);
      const spread = entry.failure ? ["FAILED", "", ""] : [seconds(median(walls)), seconds(Math.min(...walls)), seconds(Math.max(...walls))];
      lines.push(`| \`${rowLabel(row)}\` | ${TITLES[runner]} | ${walls.length} | ${spread.join(" | ")} | ${entry.failure ? "" : mib(peakRss(row, runner))} |`);
    }
  }
  return lines.join("\n");
}

// BENCH.md's targets as raised after the first ones were met.
const TARGETS = [
  { row: "list-1000", text: "list-1000: at most 0.8x hereby's listing of a plain .mjs file", value: (r) => pairedRatio(r, "mity", "hereby"), show: times, met: (v) => v <= 0.8, needs: ["mity", "hereby"] },
  { row: "list-1000", text: "list-1000: at most 1.35x `node -e 0`", value: (r) => pairedRatio(r, "mity", "node"), show: times, met: (v) => v <= 1.35, needs: ["mity", "node"] },
  { row: "noop-wide-10000", text: "noop-wide-10000: at most 0.7x hereby", value: (r) => pairedRatio(r, "mity", "hereby"), show: times, met: (v) => v <= 0.7, needs: ["mity", "hereby"] },
  { row: "noop-wide-10000", text: "noop-wide-10000: under 90 MiB", value: (r) => peakRss(r, "mity"), show: mib, met: (v) => v < 90 * 1024, needs: ["mity"] },
  { row: "sleep-dag-j2", text: "sleep-dag -j2: within 1.03x of the ideal 3.2 s", value: (r) => medianOf(r, "mity") / 3.2, show: times, met: (v) => v <= 1.03, needs: ["mity"] },
  { row: "sleep-dag-j8", text: "sleep-dag -j8: within 1.07x of the ideal 0.8 s", value: (r) => medianOf(r, "mity") / 0.8, show: times, met: (v) => v <= 1.07, needs: ["mity"] },
  { row: "shell-fanout-50", text: "shell-fanout-50: at most 0.8x hereby", value: (r) => pairedRatio(r, "mity", "hereby"), show: times, met: (v) => v <= 0.8, needs: ["mity", "hereby"] },
  { row: "chatty-4", text: "chatty-4: at most 1.5x hereby", value: (r) => pairedRatio(r, "mity", "hereby"), show: times, met: (v) => v <= 1.5, needs: ["mity", "hereby"] },
  { row: "chatty-4", text: "chatty-4: under 150 MiB", value: (r) => peakRss(r, "mity"), show: mib, met: (v) => v < 150 * 1024, needs: ["mity"] },
  { row: "skewed-dag (2nd run)", text: "skewed-dag, 2nd run: within 1.05x of the best schedule (3.0 s)", value: (r) => medianOf(r, "mity") / 3.0, show: times, met: (v) => v <= 1.05, needs: ["mity"] },
];

/** Each BENCH.md target for the rows that were run, marked met / not met. */
export function targetList(rows) {
  const lines = [];
  for (const target of TARGETS) {
    const row = rows.find((r) => rowLabel(r) === target.row);
    if (!row) continue;
    const failed = target.needs.filter((r) => row.runners[r]?.failure);
    if (failed.length > 0) {
      lines.push(`- **not met** (${failed.join(", ")} failed): ${target.text}`);
      continue;
    }
    const value = target.value(row);
    lines.push(`- ${target.met(value) ? "met" : "**not met**"}: ${target.text} (mity: ${target.show(value)})`);
  }
  return lines.join("\n");
}

/** Why each failed runner failed, so a failure is read, not mistaken for a time. */
export function failureList(rows) {
  const lines = [];
  for (const row of rows) {
    for (const [runner, entry] of Object.entries(row.runners)) {
      if (!entry.failure) continue;
      lines.push(`- \`${rowLabel(row)}\`, ${TITLES[runner]}: ${entry.failure.split("\n")[0]}`);
      const rest = entry.failure.split("\n").slice(1).filter(Boolean);
      if (rest.length > 0) lines.push("  ```", ...rest.map((l) => `  ${l}`), "  ```");
    }
  }
  return lines.join("\n");
}
