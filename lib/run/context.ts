import type { CommandResult, RunContext } from "../types.js";
import { CommandError } from "../util/errors.js";
import { shellQuote } from "./command.js";
import type { CommandRequest } from "./process.js";

/** Joins a template into one shell command, each value quoted as one word (an array as several). */
export function buildCommand(strings: TemplateStringsArray, values: readonly unknown[]): string {
  let command = strings[0] ?? "";
  values.forEach((value, i) => {
    const words = Array.isArray(value) ? value.map(String) : [String(value)];
    command += words.map(shellQuote).join(" ") + (strings[i + 1] ?? "");
  });
  return command;
}

export interface ContextOptions {
  name: string;
  cwd: string;
  /** The task's environment, or a function that builds it when first read. */
  env: Record<string, string> | (() => Record<string, string>);
  params: Readonly<Record<string, unknown>>;
  args: readonly string[];
  staged?: readonly string[];
  /** The task's signal, or a function that makes it when first read. */
  signal: AbortSignal | (() => AbortSignal);
  log: (line: string) => void;
  /** Runs a shell command for the task; resolves with its exit. */
  exec: (command: string, extra?: Partial<CommandRequest>) => Promise<CommandResult>;
}

const NOTHING: readonly string[] = Object.freeze([]);
// A run's args and a task's params are frozen once by the scheduler: most tasks need no copy of their own.
const frozen = <T extends object>(value: T, copy: (value: T) => T): T => (Object.isFrozen(value) ? value : Object.freeze(copy(value)));

/**
 * The `ctx` a run function receives: a frozen object of its own properties, so `{ ...ctx }` and
 * `Object.keys(ctx)` see every member. What takes work to make (the environment, the signal) is made
 * on first read: a run of 10,000 tasks makes 10,000 contexts, and most functions read little of theirs.
 */
export function createContext(options: ContextOptions): RunContext {
  let env: Readonly<Record<string, string>> | undefined;
  let signal: AbortSignal | undefined;
  // The options' functions are called as their methods: the scheduler passes an object of its own.
  return Object.freeze({
    name: options.name,
    cwd: options.cwd,
    get env() {
      return (env ??= Object.freeze({ ...(typeof options.env === "function" ? options.env() : options.env) }));
    },
    params: frozen(options.params, (params) => ({ ...params })),
    args: frozen(options.args, (args) => [...args]),
    staged: options.staged ? frozen(options.staged, (staged) => [...staged]) : NOTHING,
    get signal() {
      return (signal ??= typeof options.signal === "function" ? options.signal() : options.signal);
    },
    log(text: string) {
      for (const line of String(text).split(/\r?\n/)) options.log(line);
    },
    async sh(strings: TemplateStringsArray, ...values: unknown[]) {
      const command = buildCommand(strings, values);
      const result = await options.exec(command);
      if (result.exitCode !== 0) throw new CommandError(command, result.exitCode);
      return result;
    },
  });
}
