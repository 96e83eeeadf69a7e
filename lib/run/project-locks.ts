import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { mityFolder } from "../state/folder.js";
import { MityError } from "../util/errors.js";
import { ignoreItself } from "../util/files.js";
import { isAncestor, ownHolder, tryLock, unlock, type Holder } from "../util/lock-file.js";

type Release = () => void;

const NO_LOCK: Release = () => {};
/** Waiting polls, from often to this seldom: a lock file costs two system calls a look. */
const FIRST_POLL_MS = 20;
const LAST_POLL_MS = 250;

export interface ProjectLocksOptions {
  /** The root mityfile's folder: what "the same project" means for a lock. */
  root: string;
  /** Aborted when the run stops starting tasks: a task still waiting gives up. */
  signal: AbortSignal;
  /** The task whose command started this mity (`MITY_TASK` of its environment), if one did. */
  parentTask?: string | undefined;
  /** Tells that a task waits for a lock, and for whom. */
  onWait: (task: string, line: string) => void;
}

/**
 * `lock` names held between mity processes of one project: a file per name in `.mity/locks/` naming its
 * holder, taken over when that process is gone (killed, crashed), so nothing is left locked for ever.
 */
export class ProjectLocks {
  #dir: string | undefined;
  #started: Holder | undefined;

  constructor(private readonly options: ProjectLocksOptions) {}

  /** Waits until this process holds the lock for the task; resolves unlocked when the run gives up waiting. */
  async take(lock: string, task: string): Promise<Release> {
    const path = join(this.#folder(lock, task), `${encodeURIComponent(lock)}.lock`);
    const me = { ...(this.#started ??= ownHolder()), task };
    let told: string | undefined;
    for (let pause = FIRST_POLL_MS; !this.options.signal.aborted; pause = Math.min(pause * 2, LAST_POLL_MS)) {
      const result = attempt(path, me, lock, task);
      if ("taken" in result) return () => unlock(path, result.taken);
      // A mity run by the very task that holds the lock (`mity plan` inside `apply`): the lock is already its own.
      if (result.holder?.task !== undefined && result.holder.task === this.options.parentTask && isAncestor(result.holder.pid)) return NO_LOCK;
      const line = waitingLine(lock, result.holder);
      if (line !== told) this.options.onWait(task, (told = line));
      await sleep(pause, this.options.signal);
    }
    return NO_LOCK;
  }

  /** `.mity/locks`, made (with the `.gitignore` of `.mity`) the first time a task of the run takes a lock. */
  #folder(lock: string, task: string): string {
    if (this.#dir !== undefined) return this.#dir;
    const mity = mityFolder(this.options.root).dir;
    const dir = join(mity, "locks");
    try {
      mkdirSync(dir, { recursive: true });
      ignoreItself(mity);
    } catch (error) {
      throw new MityError(`cannot take lock "${lock}": ${(error as Error).message}`, { task });
    }
    return (this.#dir = dir);
  }
}

/** One try at the lock file; a file that cannot be written at all (a full disk) is the user's to fix, not a wait. */
function attempt(path: string, me: Holder, lock: string, task: string): ReturnType<typeof tryLock> {
  try {
    return tryLock(path, me);
  } catch (error) {
    throw new MityError(`cannot take lock "${lock}": ${(error as Error).message}`, { task });
  }
}

const waitingLine = (lock: string, holder: Holder | undefined) =>
  `mity: waiting for lock "${lock}" held by ${holder ? `mity pid ${holder.pid}${holder.task === undefined ? "" : ` (task ${holder.task})`}` : "another mity"}`;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
