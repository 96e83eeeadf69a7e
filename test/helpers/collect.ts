import { spawn } from "node:child_process";

export interface Collected {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CollectOptions {
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** The whole of its stdin (a pipe that ends); without it, it has none, and a quick exit cannot fail a write to it. */
  input?: string | undefined;
  /** Killed and refused after this long (default a minute). */
  timeoutMs?: number | undefined;
  /** Called once the process has started, e.g. to send it a signal later. */
  onSpawn?: ((pid: number) => void) | undefined;
}

/** Runs a command and collects what it printed. */
export function collect(command: string, args: readonly string[], options: CollectOptions = {}): Promise<Collected> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin?.end(options.input);
  });
}
