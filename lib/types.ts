/** Public types of a mityfile and of a run. */

/** A dep name: a task of the same file, one of an included namespace (`ns:task`), or one from the root (`:task`). */
export type DepName<Names extends string> = Names | `:${string}` | `${string}:${string}`;

/** What a run function receives. */
export interface RunContext {
  /** Full task name, namespaces included (`firewall:apply`). */
  readonly name: string;
  /** Absolute working directory of the task. */
  readonly cwd: string;
  /** The environment the task's commands get. */
  readonly env: Readonly<Record<string, string>>;
  /** Values of the task's params. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Words given after `--` on the command line. */
  readonly args: readonly string[];
  /** Aborted when the run is cancelled or the task times out. */
  readonly signal: AbortSignal;
  /** Prints text attributed to the task, one output line per line of text. */
  log(text: string): void;
  /**
   * Runs a command in the task's cwd and env. Each interpolated value is passed as one argument
   * (arrays as several), never parsed by the shell. Rejects with a `CommandError` on failure.
   */
  sh(strings: TemplateStringsArray, ...values: unknown[]): Promise<CommandResult>;
}

/** How a command ended. */
export interface CommandResult {
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | null;
}

export type RunFunction = (ctx: RunContext) => unknown;

/** One task of a mityfile. */
export interface TaskConfig<Names extends string = string> {
  /** Shown by `--list`. */
  description?: string;
  /** Tasks that must succeed first. */
  deps?: readonly DepName<Names>[];
  /** `true`: deps may run at the same time; `false`: one after another, in order; unset: `--parallel` decides. */
  concurrent?: boolean;
  /** A shell command, several run in order (stopping at the first failure), or a function. */
  run?: string | readonly string[] | RunFunction;
  /** Working directory, relative to the mityfile's directory. */
  cwd?: string;
  /** Added to the environment of the task's commands. */
  env?: Readonly<Record<string, string>>;
  /** Left out of `--list` unless `--all`. */
  hidden?: boolean;
  /** The task fails when it runs longer than this: milliseconds, or a string like `"90s"`, `"5m"`. */
  timeout?: number | string;
  /** The task gets the terminal and runs while no other task runs. */
  interactive?: boolean;
  /** Tasks that share a lock name never run at the same time. */
  lock?: string;
}

/** The default export of a mityfile. */
export interface MityConfig<Names extends string = string> {
  /** The task a bare `mity` runs. */
  default?: NoInfer<Names>;
  /** Added to every task's environment. */
  env?: Readonly<Record<string, string>>;
  /** Namespace to a directory or file holding another mityfile. */
  include?: Readonly<Record<string, string>>;
  /** Git hook name to the tasks it runs. */
  hooks?: Readonly<Record<string, readonly DepName<NoInfer<Names>>[]>>;
  tasks: { [K in Names]: TaskConfig<NoInfer<Names>> };
}

/** A task's final state. */
export type TaskState = "ok" | "failed" | "cancelled" | "skipped" | "up-to-date";

/** How one task of a run ended. */
export interface TaskOutcome {
  readonly name: string;
  readonly state: TaskState;
  /** Milliseconds the task's own work took (0 when it never started). */
  readonly duration: number;
  /** The last command's exit code, when a command ran. */
  readonly exitCode?: number;
  /** Why it failed, or why it was skipped or cancelled. */
  readonly reason?: string;
  readonly error?: unknown;
}
