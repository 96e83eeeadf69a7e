import type { SignalSource } from "./signals.js";

/** Everything the command line needs from the outside world, passed in so it can be tested with fakes. */
export interface CliIO {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number; rows?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Asks a `confirm` question on the terminal; absent when there is none. */
  prompt?: (task: string, question: string) => Promise<boolean>;
  signals?: SignalSource;
  version: string;
}

/** mity's exit codes (docs/cli.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, SIGINT: 130, SIGTERM: 143 } as const;
