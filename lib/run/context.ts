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
const copyObject = <T extends object>(value: T): T => ({ ...value });
const copyArray = (value: readonly string[]): readonly string[] => [...value];

/**
 * The `ctx` a run function receives: a frozen object whose members are all its own, so `{ ...ctx }`,
 * `Object.keys(ctx)` and destructuring see every one. What takes work to make (the environment, the
 * signal, `log` and `sh` bound to the task) is made on first read, by getters that all contexts share:
 * a run of 10,000 tasks makes 10,000 contexts, and most functions read little of theirs. (An object
 * literal with getters of its own is kept by V8 as a dictionary: about 900 bytes, against about 120.)
 */
export function createContext(options: ContextOptions): RunContext {
  return new TaskContext(options);
}

/** The error, with the frames of `site` (where the command was called) as its own. */
function withStackOf(error: Error, site: Error): Error {
  const frames = site.stack ?? "";
  const at = frames.indexOf("\n");
  if (at !== -1) error.stack = `${error.name}: ${error.message}${frames.slice(at)}`;
  return error;
}

let envDescriptor: PropertyDescriptor;
let laterDescriptors: PropertyDescriptorMap;

class TaskContext implements RunContext {
  declare readonly name: string;
  declare readonly cwd: string;
  declare readonly env: Readonly<Record<string, string>>;
  declare readonly params: Readonly<Record<string, unknown>>;
  declare readonly args: readonly string[];
  declare readonly staged: readonly string[];
  declare readonly signal: AbortSignal;
  declare readonly log: (text: string) => void;
  declare readonly sh: (strings: TemplateStringsArray, ...values: unknown[]) => Promise<CommandResult>;
  // Private fields are not properties: freezing the object leaves them writable, and nothing lists them.
  readonly #options: ContextOptions;
  #env: Readonly<Record<string, string>> | undefined;
  #signal: AbortSignal | undefined;
  #log: ((text: string) => void) | undefined;
  #sh: ((strings: TemplateStringsArray, ...values: unknown[]) => Promise<CommandResult>) | undefined;

  constructor(options: ContextOptions) {
    this.#options = options;
    // Assigned and defined in this order, which is the order Object.keys gives.
    this.name = options.name;
    this.cwd = options.cwd;
    Object.defineProperty(this, "env", envDescriptor);
    this.params = frozen(options.params, copyObject);
    this.args = frozen(options.args, copyArray);
    this.staged = options.staged ? frozen(options.staged, copyArray) : NOTHING;
    Object.defineProperties(this, laterDescriptors);
    Object.freeze(this);
  }

  static {
    // Here, where they may read the private fields. The options' functions are called as their
    // methods: the scheduler passes an object of its own.
    envDescriptor = {
      enumerable: true,
      get(this: TaskContext) {
        const options = this.#options;
        return (this.#env ??= Object.freeze({ ...(typeof options.env === "function" ? options.env() : options.env) }));
      },
    };
    laterDescriptors = {
      signal: {
        enumerable: true,
        get(this: TaskContext) {
          const options = this.#options;
          return (this.#signal ??= typeof options.signal === "function" ? options.signal() : options.signal);
        },
      },
      log: {
        enumerable: true,
        get(this: TaskContext) {
          const options = this.#options;
          return (this.#log ??= (text: string) => {
            for (const line of String(text).split(/\r?\n/)) options.log(line);
          });
        },
      },
      sh: {
        enumerable: true,
        get(this: TaskContext) {
          const options = this.#options;
          return (this.#sh ??= async (strings: TemplateStringsArray, ...values: unknown[]) => {
            // Where the task called it: a failure nobody awaited has no other trace of the caller.
            const calledAt = new Error();
            const command = buildCommand(strings, values);
            const result = await options.exec(command);
            if (result.exitCode !== 0) throw withStackOf(new CommandError(command, result.exitCode), calledAt);
            return result;
          });
        },
      },
    };
  }
}
