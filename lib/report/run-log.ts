import { appendFile, mkdirSync, readdirSync, rm } from "node:fs";
import { join } from "node:path";
import pLimit from "p-limit";
import { ignoreItself } from "../util/files.js";
import type { EventSink, MityEvent } from "../run/events.js";
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
  const base = join(root, ".mity", "logs");
  const runDir = join(base, runId);
  let made: boolean | undefined;
  // `said`: the task printed something. A task that succeeded in silence gets no file: creating one costs
  // more than a quick command does, and it would only repeat the command line.
  const pending = new Map<string, { text: string; said: boolean }>();
  // One chain of appends per file, so a task's text lands in the order it came; few files open at a
  // time, so thousands of tasks ending at once cannot use up the process's file descriptors.
  const writing = new Map<string, Promise<void>>();
  const slots = pLimit(MAX_OPEN);
  const makeFolder = (): boolean => {
    let old: string[];
    try {
      mkdirSync(runDir, { recursive: true });
      ignoreItself(join(root, ".mity"));
      // This run is kept whatever its name: newer runs may have written their logs while it was quiet.
      const others = readdirSync(base).filter((run) => run !== runId).sort();
      old = others.slice(0, Math.max(0, others.length - (KEPT_RUNS - 1)));
    } catch {
      return false;
    }
    // Older runs go while this one runs, off the main thread: each may hold a file per task.
    for (const run of old) writing.set(join(base, run), new Promise<void>((done) => rm(join(base, run), { recursive: true, force: true }, () => done())));
    return true;
  };
  let backlog = 0;
  const written = (length: number) => {
    backlog -= length;
    if (backlog <= MAX_BACKLOG) flow?.release("log");
  };
  const flush = (task: string) => {
    const buffer = pending.get(task);
    if (!buffer || buffer.text === "" || !(made ??= makeFolder())) return;
    const { text } = buffer;
    const file = join(runDir, logFileName(task));
    const earlier = writing.get(file) ?? Promise.resolve();
    // A log that cannot be written must not fail the run: errors are dropped.
    writing.set(file, earlier.then(() => slots(() => new Promise<void>((done) => appendFile(file, text, () => (written(text.length), done()))))));
    buffer.text = "";
    // The text waits in memory until the disk takes it: past a bound, tasks wait instead of it growing.
    backlog += text.length;
    if (backlog > MAX_BACKLOG) flow?.hold("log");
  };
  const sink = (event: MityEvent) => {
    if (event.event === "output" || event.event === "command") {
      let buffer = pending.get(event.task);
      if (!buffer) pending.set(event.task, (buffer = { text: "", said: false }));
      if (event.event === "output") {
        buffer.text += `${event.line}\n`;
        buffer.said = true;
      } else buffer.text += `$ ${event.command}\n`;
      if (buffer.text.length > FLUSH_CHARS) flush(event.task);
    } else if (event.event === "end") {
      // A run function that threw before it printed anything still leaves its stack.
      if (event.stack && !pending.has(event.task)) pending.set(event.task, { text: "", said: false });
      const buffer = pending.get(event.task);
      if (buffer && (buffer.said || event.state !== "ok")) {
        if (event.stack) buffer.text += `${event.stack}\n`;
        buffer.text += `[mity] ${event.state} after ${event.duration} ms${event.exitCode === undefined ? "" : `, exit code ${event.exitCode}`}${event.reason ? `: ${event.reason}` : ""}\n`;
        flush(event.task);
      }
      pending.delete(event.task);
    }
  };
  const close = async () => {
    await Promise.all(writing.values());
  };
  return { dir: () => (made ? runDir : undefined), sink, close };
}
