import { appendFile, mkdirSync, readdirSync, rm } from "node:fs";
import { join } from "node:path";
import pLimit from "p-limit";
import { ignoreItself } from "../util/files.js";
import type { EventSink } from "../run/events.js";
import { byKind, ignore } from "./reporter.js";
import type { OutputFlow } from "../run/flow.js";

/** How many runs' logs are kept. */
export const KEPT_RUNS = 10;
/** Output kept in memory per task before it is appended to its file. */
const FLUSH_CHARS = 256 * 1024;

/** Output handed to the disk but not yet written, past which tasks wait for the log to catch up. */
const MAX_BACKLOG = 1024 * 1024;

/** Log files open at once. */
const MAX_OPEN = 16;

/** A file name for a task: namespaces and odd characters become safe. */
export const logFileName = (task: string) => `${task.replace(/[^A-Za-z0-9._-]/g, "_")}.log`;

/**
 * Keeps each run's full output, one file per task, in `.mity/logs/<run>/` beside the root mityfile, and
 * removes all but the last few runs. The folder is made when the first file is written, so a run whose
 * tasks all succeeded in silence leaves nothing; `dir()` names it once it is there. Files are appended
 * to off the main thread, in order for each task: `close()` resolves once all is written. A folder that
 * cannot be made means no log, not a failed run.
 */
export function createRunLog(root: string, runId: string, flow?: OutputFlow): { dir(): string | undefined; sink: EventSink; close(): Promise<void> } {
  const runDir = join(root, ".mity", "logs", runId);
  let made: boolean | undefined;
  // `said`: the task printed something. A task that succeeded in silence gets no file: creating one costs
  // more than a quick command does, and it would only repeat the command line.
  const pending = new Map<string, { text: string; said: boolean }>();
  const files = new LogFiles(flow);
  const flush = (task: string) => {
    const buffer = pending.get(task);
    if (!buffer || buffer.text === "" || !(made ??= makeRunFolder(root, runId, files))) return;
    files.append(join(runDir, logFileName(task)), buffer.text);
    buffer.text = "";
  };
  const add = (task: string, text: string, said: boolean) => {
    let buffer = pending.get(task);
    if (!buffer) pending.set(task, (buffer = { text: "", said: false }));
    buffer.text += text;
    buffer.said ||= said;
    if (buffer.text.length > FLUSH_CHARS) flush(task);
  };
  const sink = byKind({
    start: ignore,
    command: (event) => add(event.task, `$ ${event.command}\n`, false),
    output: (event) => add(event.task, `${event.line}\n`, true),
    // The same output comes as `output` lines.
    chunk: ignore,
    end: (event) => {
      // A run function that threw before it printed anything still leaves its stack.
      if (event.stack && !pending.has(event.task)) pending.set(event.task, { text: "", said: false });
      const buffer = pending.get(event.task);
      if (buffer && (buffer.said || event.state !== "ok")) {
        if (event.stack) buffer.text += `${event.stack}\n`;
        buffer.text += `[mity] ${event.state} after ${event.duration} ms${event.exitCode === undefined ? "" : `, exit code ${event.exitCode}`}${event.reason ? `: ${event.reason}` : ""}\n`;
        flush(event.task);
      }
      pending.delete(event.task);
    },
    ready: (event) => add(event.task, `[mity] ready: ${event.detail}\n`, false),
    // Each run of a watch has its own log folder: the change that started it is in its events.
    change: ignore,
    summary: ignore,
  });
  return { dir: () => (made ? runDir : undefined), sink, close: () => files.close() };
}

/** Makes this run's folder and starts removing all but the last few runs' folders; false when it cannot be made. */
function makeRunFolder(root: string, runId: string, files: LogFiles): boolean {
  const base = join(root, ".mity", "logs");
  let old: string[];
  try {
    mkdirSync(join(base, runId), { recursive: true });
    ignoreItself(join(root, ".mity"));
    // This run is kept whatever its name: newer runs may have written their logs while it was quiet.
    const others = readdirSync(base).filter((run) => run !== runId).sort();
    old = others.slice(0, Math.max(0, others.length - (KEPT_RUNS - 1)));
  } catch {
    return false;
  }
  // Older runs go while this one runs, off the main thread: each may hold a file per task.
  for (const run of old) files.after(join(base, run), new Promise<void>((done) => rm(join(base, run), { recursive: true, force: true }, () => done())));
  return true;
}

/**
 * Appends to log files off the main thread: one chain of appends per file, so a task's text lands in
 * the order it came, and few files open at a time, so thousands of tasks ending at once cannot use up
 * the process's file descriptors.
 */
class LogFiles {
  #writing = new Map<string, Promise<void>>();
  #slots = pLimit(MAX_OPEN);
  #backlog = 0;

  constructor(private readonly flow: OutputFlow | undefined) {}

  /** Work on a path that later work on it waits for. */
  after(path: string, work: Promise<void>): void {
    this.#writing.set(path, work);
  }

  append(file: string, text: string): void {
    const earlier = this.#writing.get(file) ?? Promise.resolve();
    // A log that cannot be written must not fail the run: errors are dropped.
    this.#writing.set(file, earlier.then(() => this.#slots(() => new Promise<void>((done) => appendFile(file, text, () => (this.#written(text.length), done()))))));
    // The text waits in memory until the disk takes it: past a bound, tasks wait instead of it growing.
    this.#backlog += text.length;
    if (this.#backlog > MAX_BACKLOG) this.flow?.hold("log");
  }

  async close(): Promise<void> {
    await Promise.all(this.#writing.values());
  }

  #written(length: number): void {
    this.#backlog -= length;
    if (this.#backlog <= MAX_BACKLOG) this.flow?.release("log");
  }
}
