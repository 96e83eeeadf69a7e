import type { ProjectLocks } from "./project-locks.js";

type Release = () => void;

const NO_GATE: Release = () => {};

/** A queue of waiters admitted one at a time or many at a time: the lock and interactive rules. */
class ReadWriteLock {
  #readers = 0;
  #writer = false;
  #queue: { exclusive: boolean; admit: () => void }[] = [];

  acquire(exclusive: boolean): Promise<Release> {
    return new Promise((resolve) => {
      this.#queue.push({
        exclusive,
        admit: () => {
          if (exclusive) this.#writer = true;
          else this.#readers++;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            if (exclusive) this.#writer = false;
            else this.#readers--;
            this.#pump();
          });
        },
      });
      this.#pump();
    });
  }

  // First come, first served: a waiting exclusive holder blocks later shared ones, so it is not starved.
  #pump(): void {
    while (this.#queue.length > 0 && !this.#writer) {
      const next = this.#queue[0]!;
      if (next.exclusive && this.#readers > 0) return;
      this.#queue.shift();
      next.admit();
      if (next.exclusive) return;
    }
  }
}

/** The admission rules that come before a concurrency slot: `lock` names and `interactive` tasks. */
export class Gates {
  #locks = new Map<string, ReadWriteLock>();
  #terminal = new ReadWriteLock();

  /**
   * `terminalUsed`: whether any task of the run may need the terminal alone; without one, only locks apply.
   * `shared`: the locks between mity processes, once a task of this run has one.
   */
  constructor(
    private readonly terminalUsed = true,
    private readonly shared?: Pick<ProjectLocks, "take"> | undefined,
  ) {}

  /** Whether a gate applies to the task at all: when none does, it need not wait for `enter`. */
  applies(task: { lock: string | undefined }): boolean {
    return this.terminalUsed || task.lock !== undefined;
  }

  /** Waits until the task may run; the returned function lets the next one in. */
  async enter(task: { name?: string; lock: string | undefined; interactive: boolean }): Promise<Release> {
    if (!this.applies(task)) return NO_GATE;
    let lock: ReadWriteLock | undefined;
    if (task.lock !== undefined) {
      lock = this.#locks.get(task.lock) ?? new ReadWriteLock();
      this.#locks.set(task.lock, lock);
    }
    const releaseLock = lock ? await lock.acquire(true) : undefined;
    // This run's own turn first, then other processes': one file per lock name and run is waited for at a time.
    const releaseShared = this.shared && task.lock !== undefined ? await this.shared.take(task.lock, task.name ?? "") : undefined;
    const releaseTerminal = await this.#terminal.acquire(task.interactive);
    return () => {
      releaseTerminal();
      releaseShared?.();
      releaseLock?.();
    };
  }
}
