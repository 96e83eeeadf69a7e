import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";

/** Who holds a lock file: enough for another process on this machine to tell whether it is still there. */
export interface Holder {
  pid: number;
  /** When the process started (clock ticks after boot, on Linux), so that a reused pid is not taken for it. */
  started?: string | undefined;
  host?: string | undefined;
  /** What it holds the lock for, to tell whoever waits (a task's name). */
  task?: string | undefined;
}

/** A lock file whose content cannot be read is a crash between create and write: stale after this long. */
const UNREADABLE_STALE_MS = 2000;

/** This process, as a lock file names it. */
export function ownHolder(task?: string): Holder {
  return { pid: process.pid, started: startTime(process.pid), host: hostname(), ...(task === undefined ? {} : { task }) };
}

/**
 * Takes the lock file at `path` (made with its whole content at once), taking over one whose holder
 * is gone. Returns the text to release it with, or the live holder (undefined when unknown) when held.
 */
export function tryLock(path: string, me: Holder): { taken: string } | { holder: Holder | undefined } {
  const text = JSON.stringify(me);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(path, text)) return { taken: text };
    const seen = read(path);
    // Released meanwhile: try again at once.
    if (seen === undefined) continue;
    if (isHeld(seen)) return { holder: seen.holder };
    takeOver(path, seen.text, me);
  }
  return { holder: read(path)?.holder };
}

/** Removes the lock file if it is still the one `taken` made: never another's that took over meanwhile. */
export function unlock(path: string, taken: string): void {
  if (read(path)?.text === taken) rmSync(path, { force: true });
}

/** Whether `pid` is a parent (or grandparent...) of this process: a mity that runs this one as part of a task (Linux). */
export function isAncestor(pid: number): boolean {
  let current = parentOf(process.pid);
  for (let depth = 0; current !== undefined && current > 1 && depth < 64; depth++) {
    if (current === pid) return true;
    current = parentOf(current);
  }
  return false;
}

/** Creates the file with its content in one step (a hard link to a full temp file): a reader never sees it empty. */
function create(path: string, text: string): boolean {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeTemporary(temporary, text);
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // A file system without hard links: an exclusive create is the next best.
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") return createExclusive(path, text);
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function writeTemporary(temporary: string, text: string): void {
  try {
    writeFileSync(temporary, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(temporary), { recursive: true });
    writeFileSync(temporary, text, { flag: "wx" });
  }
}

function createExclusive(path: string, text: string): boolean {
  try {
    writeFileSync(path, text, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

interface Seen {
  text: string;
  holder: Holder | undefined;
  mtimeMs: number;
}

function read(path: string): Seen | undefined {
  try {
    const text = readFileSync(path, "utf8");
    return { text, holder: parseHolder(text), mtimeMs: statSync(path).mtimeMs };
  } catch {
    return undefined;
  }
}

/** The holder a lock file names: this format, or an older mity's bare pid. */
function parseHolder(text: string): Holder | undefined {
  if (/^\d+$/.test(text.trim())) return { pid: Number(text.trim()) };
  try {
    const holder = JSON.parse(text) as Holder;
    return typeof holder === "object" && holder !== null && Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

function isHeld(seen: Seen): boolean {
  if (!seen.holder) return Date.now() - seen.mtimeMs < UNREADABLE_STALE_MS;
  return isAlive(seen.holder);
}

/** Whether the holder still runs. One on another host (a shared folder) cannot be checked: it counts as alive. */
function isAlive(holder: Holder): boolean {
  if (holder.host !== undefined && holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  if (holder.started === undefined) return true;
  const started = startTime(holder.pid);
  return started === undefined || started === holder.started;
}

/**
 * Removes a stale lock file, if it is still the one seen: a second file makes the check and the
 * removal one step, so two processes taking over at once never remove the lock one of them just took.
 */
function takeOver(path: string, staleText: string, me: Holder): void {
  const breaker = `${path}.takeover`;
  if (!create(breaker, JSON.stringify(me))) {
    const other = read(breaker);
    if (other && !isHeld(other)) rmSync(breaker, { force: true });
    return;
  }
  try {
    if (read(path)?.text === staleText) rmSync(path, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

// Field 22 of stat is the start time; field 4 the parent: the list starts at field 3.
const startTime = (pid: number) => procStat(pid)?.[19];

function parentOf(pid: number): number | undefined {
  const parent = procStat(pid)?.[1];
  return parent === undefined ? undefined : Number(parent);
}
