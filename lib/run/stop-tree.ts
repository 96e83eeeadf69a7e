import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

/**
 * Sends a signal to a task's whole process tree. On POSIX each command leads its own process group,
 * so the negative pid reaches its children and grandchildren too. Windows has no groups:
 * `taskkill /T` walks the tree instead (it has no gentle signal, so both steps force it).
 * Returns false when nothing was left to signal.
 */
export function signalTree(pid: number, signal: "SIGTERM" | "SIGKILL", platform: NodeJS.Platform = process.platform): boolean {
  if (platform === "win32") {
    spawn("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore", windowsHide: true }).on("error", () => {});
    return true;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether anything of the process group is still alive (zombies waiting to be reaped do not count). */
export function treeAlive(pid: number, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === "win32") return false;
  // The usual answer, a group that is gone, comes as an error: one without a stack is made quicker.
  // Reflect.set, not an assignment: where Error is frozen it says so rather than throwing.
  const stackTraceLimit = Error.stackTraceLimit;
  const stackless = Reflect.set(Error, "stackTraceLimit", 0);
  try {
    process.kill(-pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  } finally {
    if (stackless) Error.stackTraceLimit = stackTraceLimit;
  }
  return platform === "linux" ? groupHasLiveProcess(pid) : true;
}

// Orphans are reaped by init, which may take seconds in a container: read their state from /proc instead.
function groupHasLiveProcess(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(group) === pgid && state !== "Z" && state !== "X") return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}
