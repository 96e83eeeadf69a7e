import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type t from "tap";
import type { MityRun } from "./mity.js";

/** The type of a subtest's `t` (tap's own type is assembled from plugins). */
export type Test = Parameters<Parameters<typeof t.test>[0]>[0];

/** A mityfile whose config is plain JSON data (commands only, no functions). */
export function jsonMityfile(config: Record<string, unknown>): string {
  return `export default ${JSON.stringify(config, null, 2)};\n`;
}

/** A shell command that records its task's start and end times (ns clock) around a sleep, in `times.log` of its cwd. */
export function timed(seconds = 0.3, file = "times.log"): string {
  return `echo "$MITY_TASK start $(date +%s%N)" >> ${file}; sleep ${seconds}; echo "$MITY_TASK end $(date +%s%N)" >> ${file}`;
}

/** A shell command that appends `<task> start` and `<task> end` to `order.log` in its cwd. */
export function logged(file = "order.log"): string {
  return `echo "$MITY_TASK start" >> ${file}; echo "$MITY_TASK end" >> ${file}`;
}

/** Lines of a log file written by tasks (empty when no task wrote it). */
export function readLog(path: string): string[] {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
}

export interface Interval {
  task: string;
  start: number;
  end: number;
}

/** The intervals (ms) recorded by `timed` commands, one per task; a task recorded twice fails loudly. */
export function intervals(dir: string, file = "times.log"): Map<string, Interval> {
  const found = new Map<string, { start?: number; end?: number }>();
  for (const line of readLog(join(dir, file))) {
    const [task, what, ns] = line.split(" ");
    if (!task || (what !== "start" && what !== "end") || !ns) throw new Error(`bad time line: ${line}`);
    const entry = found.get(task) ?? {};
    if (entry[what] !== undefined) throw new Error(`${task} recorded ${what} twice`);
    // Nanoseconds since the epoch exceed double precision: divide as bigint.
    entry[what] = Number(BigInt(ns) / 1000n) / 1000;
    found.set(task, entry);
  }
  const result = new Map<string, Interval>();
  for (const [task, { start, end }] of found) {
    if (start === undefined || end === undefined) throw new Error(`${task} has no ${start === undefined ? "start" : "end"}`);
    result.set(task, { task, start, end });
  }
  return result;
}

/** Milliseconds two intervals share (negative: the gap between them). */
export function overlap(a: Interval, b: Interval): number {
  return Math.min(a.end, b.end) - Math.max(a.start, b.start);
}

/** The most intervals running at one instant (an end at the same instant as a start does not count as overlap). */
export function maxConcurrent(list: Iterable<Interval>): number {
  const points: [number, number][] = [];
  for (const { start, end } of list) points.push([start, 1], [end, -1]);
  points.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let current = 0;
  let most = 0;
  for (const [, delta] of points) most = Math.max(most, (current += delta));
  return most;
}

/** Whether `a` finished before `b` began. */
export const before = (a: Interval, b: Interval): boolean => a.end <= b.start;

export type Json = Record<string, unknown>;

/** The `end` events of a JSON run by task; a task with two ends fails loudly. */
export function endsByTask(list: readonly Json[]): Map<string, Json> {
  const ends = new Map<string, Json>();
  for (const event of list.filter((e) => e.event === "end")) {
    const task = String(event.task);
    if (ends.has(task)) throw new Error(`two end events for ${task}`);
    ends.set(task, event);
  }
  return ends;
}

/** Stack-trace lines (`    at fn (file:1:2)`) in some text. */
export const stackLines = (text: string): string[] => text.split("\n").filter((line) => /^\s+at .+[:(]/.test(line));

/** Asserts the exit code, showing the run's output only when it is wrong. */
export function exits(t: Test, run: MityRun, code: number, what = ""): boolean {
  return t.equal(run.code, code, `${what ? `${what}: ` : ""}exit ${code}`, { stdout: run.stdout, stderr: run.stderr });
}
