import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { MITY_BIN } from "./mity.js";

/** A mity process still running: its output so far, and a way to wait for a line or the end. */
export interface LiveMity {
  child: ChildProcess;
  output(): string;
  /** Resolves once the combined output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Starts `bin/mity.js` and streams its output, for tests that signal it while it runs. */
export function startMity(args: readonly string[], cwd: string, env: Record<string, string> = {}): LiveMity {
  const home = join(cwd, ".home");
  const child = spawn(process.execPath, [MITY_BIN, ...args], {
    cwd,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), NO_COLOR: "1", CI: "", NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const started = Date.now();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, ms: Date.now() - started })),
  );
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} in mity's output after ${timeoutMs} ms:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

/** Command lines of live (non-zombie) processes that contain `marker`. */
export function survivors(marker: string): string[] {
  const table = execFileSync("ps", ["-eo", "stat=,args="], { encoding: "utf8" });
  return table
    .split("\n")
    .filter((line) => line.includes(marker) && !line.trimStart().startsWith("Z"))
    .map((line) => line.trim());
}

/** Polls until no live process carries `marker`, or the time is up; returns what is left. */
export async function awaitNoSurvivors(marker: string, timeoutMs = 3000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = survivors(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = survivors(marker);
  }
  return left;
}

/** Waits until a process with `marker` in its command line runs (a command started elsewhere, by a worker); returns them. */
export async function awaitSurvivors(marker: string, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let found = survivors(marker);
  while (found.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    found = survivors(marker);
  }
  return found;
}

/** A number unique to this test run, to find its processes in `ps`. */
export const uniqueMarker = (): string => String(900000 + Math.floor(Math.random() * 99999));
