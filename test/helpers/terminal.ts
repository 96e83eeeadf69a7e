import { execFileSync, spawn, spawnSync } from "node:child_process";
import { MITY_BIN, type Teardown } from "./mity.js";

/** mity running in a real pseudo-terminal of 100 by 30: keys typed into it, its screen so far, and its end. */
export interface LiveTerminal {
  /** Everything written to the terminal, escape sequences and all. */
  raw(): string;
  /** What scrolled by, without escape sequences. */
  text(): string;
  exited: Promise<number | null>;
  /** Types Ctrl-C: the terminal sends SIGINT to mity, as for a person at the keyboard. */
  ctrlC(): void;
  /** Sends a signal to mity itself, as a supervisor would. */
  signal(name: "SIGTERM" | "SIGINT"): void;
  /** Resolves with the text once it matches, or with undefined when `ms` are up. */
  waitFor(pattern: RegExp, ms: number): Promise<string | undefined>;
  /** Resolves with the exit code, or with "hung" when mity has not ended within `ms`. */
  exitWithin(ms: number): Promise<number | null | "hung">;
}

export function liveTerminal(t: Teardown, dir: string, args: string): LiveTerminal {
  // `exec`: mity is script's only child, so its pid is found, and a run that hangs does not outlive the test.
  const command = `stty cols 100 rows 30; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(MITY_BIN)} ${args}`;
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: dir,
    env: { ...process.env, TERM: "xterm-256color", CI: "", NO_COLOR: "1", FORCE_COLOR: "", HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, NODE_OPTIONS: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let raw = "";
  child.stdout!.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const mityPid = () => execFileSync("ps", ["-o", "pid=", "--ppid", String(child.pid)], { encoding: "utf8" }).trim();
  t.teardown(() => {
    if (child.exitCode !== null) return;
    for (const pid of [mityPid(), String(child.pid)].filter(Boolean)) spawnSync("kill", ["-KILL", pid]);
  });
  const text = () => raw.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, "").replace(/\r/g, "\n");
  return {
    raw: () => raw,
    text,
    exited,
    ctrlC: () => child.stdin!.write("\u0003"),
    signal: (name) => void spawnSync("kill", [`-${name.slice(3)}`, mityPid()]),
    async waitFor(pattern, ms) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        if (pattern.test(text())) return text();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return undefined;
    },
    exitWithin: (ms) => Promise.race([exited, new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), ms).unref())]),
  };
}

/** The view's last frame: what listr wrote after its last cursor move, up to the summary. */
export function lastFrame(raw: string): string[] {
  const frame = raw.slice(raw.lastIndexOf("\u001b[G"));
  return frame
    .replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, "")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "" && !line.includes("mity:") && !line.includes("slowest:"));
}
