import { readFileSync } from "node:fs";
import type { TaskRecord } from "./store.js";
import { isObject } from "../util/is-object.js";

export interface StateFile {
  format: "mity-state";
  version: number;
  tasks: Record<string, TaskRecord>;
}

export interface ReadState {
  tasks: Record<string, TaskRecord>;
  warning?: string;
  newer?: boolean;
}

/** Whether a record has the shape a check can rely on; fields it does not know are kept as they are. */
export function isRecord(value: unknown): value is TaskRecord {
  if (!isObject(value) || typeof value.fingerprint !== "string") return false;
  for (const field of ["definition", "deps", "inputs", "outputs"]) if (value[field] !== undefined && !isObject(value[field])) return false;
  return value.durations === undefined || (Array.isArray(value.durations) && value.durations.every((d) => typeof d === "number"));
}

/**
 * Reads a state file: a missing one knows no task; a damaged or foreign one is a warning that names it
 * (it is replaced at the next save); records of the wrong shape are dropped with a warning.
 */
export function readState(path: string, version: number): ReadState {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { tasks: {} };
  }
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    file = null;
  }
  if (file === null) return { tasks: {}, warning: `${path} is damaged; ignoring it, so every task runs (it is rewritten after this run)` };
  if (!isObject(file) || file.format !== "mity-state" || !isObject(file.tasks)) {
    return { tasks: {}, warning: `${path} is not a mity state file; ignoring it, so every task runs (it is replaced after this run)` };
  }
  if (typeof file.version !== "number" || file.version > version) {
    return { tasks: {}, newer: true, warning: `${path} was written by a newer mity (state version ${String(file.version)}); ignoring it, so every task runs` };
  }
  const tasks: Record<string, TaskRecord> = {};
  const wrong: string[] = [];
  for (const [name, record] of Object.entries(file.tasks)) {
    if (isRecord(record)) tasks[name] = record;
    else wrong.push(name);
  }
  if (wrong.length === 0) return { tasks };
  const names = wrong.slice(0, 3).map((name) => `"${name}"`).join(", ") + (wrong.length > 3 ? ` and ${wrong.length - 3} more` : "");
  return { tasks, warning: `${path} has records of the wrong shape (tasks ${names}); ignoring them, so those tasks run (they are replaced after this run)` };
}

/**
 * The records appended to a journal (lines of `<run id> <json>`), the last one for a task winning, or
 * undefined when there is none. The lines of the run `skip` are passed over unread: that run has its
 * own records at hand. A line cut short by a crash, or of the wrong shape, is passed over too.
 */
export function readJournal(path: string, skip?: string): Record<string, TaskRecord> | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const tasks: Record<string, TaskRecord> = {};
  const own = skip === undefined ? undefined : `${skip} `;
  for (const line of text.split("\n")) {
    if (line === "" || (own !== undefined && line.startsWith(own))) continue;
    try {
      const entry = JSON.parse(line.slice(line.indexOf(" ") + 1)) as unknown;
      if (Array.isArray(entry) && typeof entry[0] === "string" && isRecord(entry[1])) tasks[entry[0]] = entry[1];
    } catch {
      // Cut short by a crash while it was written: the records before it stand.
    }
  }
  return tasks;
}
