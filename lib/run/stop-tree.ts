import { spawn } from "node:child_process";

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

/** Whether anything of the process group is still alive. */
export function treeAlive(pid: number, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === "win32") return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
