import { spawn, type ChildProcess } from "node:child_process";

/**
 * A tiny shell that outlives mity if mity is killed with SIGKILL: it learns each task's process group
 * over a pipe, and when the pipe closes without a goodbye it stops the groups still listed (SIGTERM,
 * then SIGKILL). It ignores the signals aimed at mity's own process group.
 */
const SCRIPT = `trap '' INT TERM HUP QUIT
groups=""
while read -r line; do
  case $line in
    +*) groups="$groups \${line#+}" ;;
    -*) left=""; for g in $groups; do [ "$g" = "\${line#-}" ] || left="$left $g"; done; groups=$left ;;
    bye) exit 0 ;;
  esac
done
[ -z "$groups" ] && exit 0
for g in $groups; do kill -TERM -$g 2>/dev/null; done
sleep 2
for g in $groups; do kill -KILL -$g 2>/dev/null; done`;

/** How long a command runs before the watchdog is started: a stream of quick commands never pays for its process. */
const WATCHDOG_DELAY_MS = 100;

/** Keeps the watchdog informed; started once a command has run for a moment. A no-op on Windows. */
export class Watchdog {
  #child: ChildProcess | undefined;
  #closed = false;
  /** Each live group and when it started; the first is the oldest. */
  #groups = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  /** Lines not yet sent. */
  #unsent = "";

  /** Whether the watchdog process has been started. */
  get started(): boolean {
    return this.#child !== undefined;
  }

  added(pgid: number): void {
    this.#groups.set(pgid, performance.now());
    if (this.#child) this.#send(`+${pgid}`);
    else if (!this.#timer && !this.#closed && process.platform !== "win32") this.#wait(WATCHDOG_DELAY_MS);
  }

  removed(pgid: number): void {
    this.#groups.delete(pgid);
    if (this.#child) this.#send(`-${pgid}`);
  }

  /** The run is over and every group is gone: let the watchdog exit quietly. */
  close(): void {
    clearTimeout(this.#timer);
    if (this.#child && !this.#closed) this.#child.stdin?.end(`${this.#unsent}bye\n`);
    this.#unsent = "";
    this.#closed = true;
  }

  #wait(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms);
    this.#timer.unref();
  }

  // Started only when the oldest live group has run for the delay; otherwise checked again when it would have.
  #check(): void {
    this.#timer = undefined;
    if (this.#closed) return;
    const oldest = this.#groups.values().next();
    if (oldest.done) return;
    const left = oldest.value + WATCHDOG_DELAY_MS - performance.now();
    if (left > 0) return this.#wait(left);
    for (const pgid of this.#groups.keys()) this.#send(`+${pgid}`);
  }

  #send(line: string): void {
    if (process.platform === "win32" || this.#closed) return;
    if (!this.#child) {
      this.#child = spawn("/bin/sh", ["-c", SCRIPT], { stdio: ["pipe", "ignore", "ignore"], detached: true });
      this.#child.on("error", () => {});
      this.#child.stdin?.on("error", () => {});
      // Neither the watchdog nor its pipe may keep mity alive.
      this.#child.unref();
      (this.#child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    }
    // One write per turn of the event loop, after the turn's other work: the scheduler starts the next
    // tasks in an immediate of its own, queued after this line was, so this one waits a turn more.
    if (this.#unsent === "") setImmediate(() => setImmediate(() => this.#flush()));
    this.#unsent += `${line}\n`;
  }

  #flush(): void {
    if (this.#closed || this.#unsent === "") return;
    this.#child?.stdin?.write(this.#unsent);
    this.#unsent = "";
  }
}
