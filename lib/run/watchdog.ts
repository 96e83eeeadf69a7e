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

/** Keeps the watchdog informed; started with the first process group. A no-op on Windows. */
export class Watchdog {
  #child: ChildProcess | undefined;
  #closed = false;

  added(pgid: number): void {
    this.#send(`+${pgid}`);
  }

  removed(pgid: number): void {
    this.#send(`-${pgid}`);
  }

  /** The run is over and every group is gone: let the watchdog exit quietly. */
  close(): void {
    if (this.#child && !this.#closed) this.#child.stdin?.end("bye\n");
    this.#closed = true;
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
    this.#child.stdin?.write(`${line}\n`);
  }
}
