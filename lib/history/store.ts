import { mkdirSync, readFileSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { mityFolder } from "../state/folder.js";
import { ignoreItself, writeAtomically } from "../util/files.js";
import { MityError } from "../util/errors.js";
import { RECORD_FORMAT, type RunRecord, type StoredRun } from "./run-record.js";
import { taskRecords } from "./task-columns.js";

/** How many runs are kept. */
export const KEPT_RUNS = 100;

const RECORD_FILE = /^(.+)\.json$/;

/** `.mity/runs` of a project (or its stand-in when the project cannot be written). */
export function runsFolder(root: string): string {
  return join(mityFolder(root).dir, "runs");
}

/** Writes a run's record in one rename, then removes all but the newest `keep` records. */
export function saveRecord(root: string, record: StoredRun, keep = KEPT_RUNS): string {
  const base = mityFolder(root).dir;
  const dir = join(base, "runs");
  mkdirSync(dir, { recursive: true });
  ignoreItself(base);
  const path = join(dir, `${record.id}.json`);
  writeAtomically(path, JSON.stringify(record));
  // Ids start with the time, so names sort oldest first.
  const older = recordIds(dir);
  for (const id of older.slice(0, Math.max(0, older.length - keep))) removeRecord(join(dir, `${id}.json`));
  return path;
}

// unlinkSync rather than rmSync: rmSync's first call loads and compiles its recursive remover, a millisecond of each run.
function removeRecord(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    // Another run removed it first.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Ids of the kept runs, oldest first. */
export function recordIds(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => RECORD_FILE.exec(name)?.[1] ?? []).sort();
}

/** One run's record; undefined when the file is missing, damaged or of another format. */
export function readRecord(dir: string, id: string): RunRecord | undefined {
  try {
    const stored = JSON.parse(readFileSync(join(dir, `${id}.json`), "utf8")) as StoredRun | (Omit<RunRecord, "format"> & { format: 1 });
    // Format 1 held the same records, an object per task.
    if (stored.format === 1) return Array.isArray(stored.tasks) ? { ...stored, format: RECORD_FORMAT } : undefined;
    return stored.format === RECORD_FORMAT && Array.isArray(stored.tasks.name) ? { ...stored, tasks: taskRecords(stored.tasks) } : undefined;
  } catch {
    return undefined;
  }
}

/** Every readable record, newest first. */
export function readRecords(dir: string): RunRecord[] {
  return recordIds(dir)
    .reverse()
    .flatMap((id) => readRecord(dir, id) ?? []);
}

/** The id of a run named as typed: empty or `-1` for the last, `-2` for the one before, or an id (or its start). */
export function findRun(dir: string, wanted: string): string {
  const ids = recordIds(dir);
  if (ids.length === 0) throw new MityError(`no run is recorded in ${dir} yet: runs that start a task are kept there`);
  if (wanted === "" || /^-\d+$/.test(wanted)) {
    const back = wanted === "" ? 1 : -Number(wanted);
    const id = back >= 1 ? ids[ids.length - back] : undefined;
    if (id === undefined) throw new MityError(`--report ${wanted}: only ${ids.length} run${ids.length === 1 ? " is" : "s are"} recorded (-1 is the last, -${ids.length} the oldest)`);
    return id;
  }
  const matching = ids.filter((id) => id.startsWith(wanted));
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) throw new MityError(`--report ${wanted}: no recorded run has that id; "mity --runs" lists them`);
  throw new MityError(`--report ${wanted}: ${matching.length} runs start with that; give more of the id`);
}
