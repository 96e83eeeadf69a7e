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
 * The `ctx` a run function receives. Its members are getters, and what takes work to make (the
 * environment, the signal, the `log` and `sh` functions) is made when first read: a run of 10,000
 * tasks makes 10,000 contexts, and most functions read little of theirs. `log` and `sh` are bound, so
 * `({ sh, log }) => ...` works.
 */
class TaskContext implements RunContext {
  readonly #options: ContextOptions;
  #env: Readonly<Record<string, string>> | undefined;
  #signal: AbortSignal | undefined;
  #params: Readonly<Record<string, unknown>> | undefined;
  #args: readonly string[] | undefined;
  #staged: readonly string[] | undefined;
  #log: ((text: string) => void) | undefined;
  #sh: RunContext["sh"] | undefined;

  constructor(options: ContextOptions) {
    this.#options = options;
    Object.freeze(this);
  }

  get name(): string {
    return this.#options.name;
  }

  get cwd(): string {
    return this.#options.cwd;
  }

  get env(): Readonly<Record<string, string>> {
    const env = this.#options.env;
    return (this.#env ??= Object.freeze({ ...(typeof env === "function" ? env() : env) }));
  }

  get params(): Readonly<Record<string, unknown>> {
    return (this.#params ??= frozen(this.#options.params, (params) => ({ ...params })));
  }

  get args(): readonly string[] {
    return (this.#args ??= frozen(this.#options.args, (args) => [...args]));
  }

  get staged(): readonly string[] {
    const staged = this.#options.staged;
    return (this.#staged ??= staged ? frozen(staged, (list) => [...list]) : NOTHING);
  }

  get signal(): AbortSignal {
    const signal = this.#options.signal;
    return (this.#signal ??= typeof signal === "function" ? signal() : signal);
  }

  get log(): (text: string) => void {
    return (this.#log ??= (text: string) => {
      for (const line of String(text).split(/\r?\n/)) this.#options.log(line);
    });
  }

  get sh(): RunContext["sh"] {
    return (this.#sh ??= async (strings: TemplateStringsArray, ...values: unknown[]) => {
      const command = buildCommand(strings, values);
      const result = await this.#options.exec(command);
      if (result.exitCode !== 0) throw new CommandError(command, result.exitCode);
      return result;
    });
  }

  /** What console.log shows: the values, not the getters. */
  [Symbol.for("nodejs.util.inspect.custom")](): object {
    const { name, cwd, params, args, staged } = this;
    return { name, cwd, params, args, staged };
  }
}

/** The `ctx` a run function receives. */
export function createContext(options: ContextOptions): RunContext {
  return new TaskContext(options);
}
