/** Public types of a mityfile and of a run. */

/** A dep name: a task of the same file, one of an included namespace (`ns:task`), or one from the root (`:task`). */
export type DepName<Names extends string> = Names | `:${string}` | `${string}:${string}`;

/** The types a task param can have. */
export type ParamType = "string" | "number" | "boolean" | "string[]";

/** A typed command-line option of a task (`mity deploy --env prod`). */
export interface ParamSpec {
  type: ParamType;
  /** The only values allowed. */
  choices?: readonly (string | number)[];
  /** The run fails before anything starts when it is not given. */
  required?: boolean;
  /** The value when it is not given. */
  default?: string | number | boolean | readonly string[];
  /** Shown by `mity <task> --help`. */
  description?: string;
}

// A declaration's fields are read by key and indexed access, never by matching it against an object
// type: while the compiler infers a run function's context, a declaration is still a fresh object
// literal, and matching it against a type that lacks one of its fields fails like an excess property.
type Field<S, F extends string, Otherwise = never> = F extends keyof S ? S[F & keyof S] : Otherwise;
type ChoicesOf<S> = Field<S, "choices"> extends infer C ? ([C] extends [never] ? never : C extends readonly (infer V)[] ? V : never) : never;
type ByType<T> = T extends "string" ? string : T extends "number" ? number : T extends "boolean" ? boolean : T extends "string[]" ? string[] : unknown;
type ParamValue<S> = [ChoicesOf<S>] extends [never] ? ByType<Field<S, "type">> : Field<S, "type"> extends "string[]" ? ChoicesOf<S>[] : ChoicesOf<S>;

// Whether a param always has a value: a default, a boolean, or required.
type AlwaysSet<S> = "default" extends keyof S ? true : Field<S, "type"> extends "boolean" ? true : Field<S, "required", false> extends true ? true : false;
type SetKeys<P> = { [K in keyof P]-?: AlwaysSet<P[K]> extends true ? K : never }[keyof P];

/** The values of a task's params as a run function sees them, typed from their declaration. */
export type ParamValues<P> = unknown extends P
  ? Readonly<Record<string, unknown>>
  : { readonly [K in SetKeys<P>]: ParamValue<P[K]> } & { readonly [K in Exclude<keyof P, SetKeys<P>>]?: ParamValue<P[K]> };

/** Holds each param's declaration to `ParamSpec`, its field names included. */
export type DeclaredParams<P> = { [K in keyof P]: ParamSpec & { [F in Exclude<keyof P[K], keyof ParamSpec>]: never } };

/** What a run function receives. */
export interface RunContext<Params = Readonly<Record<string, unknown>>> {
  /** Full task name, namespaces included (`firewall:apply`). */
  readonly name: string;
  /** Absolute working directory of the task. */
  readonly cwd: string;
  /** The environment the task's commands get. */
  readonly env: Readonly<Record<string, string>>;
  /** Values of the task's params, defaults included. */
  readonly params: Params;
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
  /** Staged files when run by a git hook (paths relative to the repository root); otherwise empty. */
  readonly staged: readonly string[];
}

/** How a command ended. */
export interface CommandResult {
  readonly exitCode: number;
  /** The signal that ended the command (`"SIGTERM"`), if one did. */
  readonly signal: `SIG${string}` | null;
}

export type RunFunction<Params = Readonly<Record<string, unknown>>> = (ctx: RunContext<Params>) => unknown;

/** One task of a mityfile. */
export interface TaskConfig<Names extends string = string, Params = unknown> {
  /** Shown by `--list`. */
  description?: string;
  /** Tasks that must succeed first. */
  deps?: readonly DepName<Names>[];
  /** `true`: deps may run at the same time; `false`: one after another, in order; unset: `--parallel` decides. */
  concurrent?: boolean;
  /** A shell command, several run in order (stopping at the first failure), or a function. */
  run?: string | readonly string[] | RunFunction<ParamValues<Params>>;
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
  /** Typed command-line options of the task: `--name value` after its name (kebab-case). */
  params?: Params & DeclaredParams<Params>;
  /** A question answered before the task runs (`--yes` answers it). */
  confirm?: string;
  /**
   * `.env` files (relative to the task's cwd) loaded into its environment. A missing one stops the run
   * before anything runs, unless a dep names it in its `outputs` or it is `{ path, optional: true }`.
   */
  dotenv?: string | DotenvFile | readonly (string | DotenvFile)[];
  /** Globs of the files the task reads (relative to its cwd): with `outputs`, the task is skipped when nothing changed. */
  inputs?: readonly string[];
  /** Globs of the files the task writes (relative to its cwd). */
  outputs?: readonly string[];
  /**
   * More variables whose values are shown as `***` in this task's output; `"!NAME"` shows a variable
   * whose name looks secret (it holds `TOKEN`, `SECRET`, `PASSWORD`, ...) as it is.
   */
  secrets?: readonly string[];
  /** Runs of the task after a failed one (a timeout counts), before it fails: a whole number, 0 (the default) or more. */
  retries?: number;
  /** The task does not end by itself (a dev server, a tunnel): its dependents start once it is `ready`, and it is stopped when none is left running. */
  service?: boolean;
  /** When a service is ready: a line of its output matches `log`, or `port` takes a TCP connection; `timeout` (default 30 s) fails it otherwise. */
  ready?: ReadyConfig;
  /** The task's own work runs on a worker of this pool (`mity --worker <pool>`), through the Redis queue. */
  pool?: string;
}

/** When a service counts as ready. */
export type ReadyConfig =
  | { log: string; timeout?: number | string }
  | { port: number; host?: string; timeout?: number | string };

/** A dotenv file that may be missing: `optional: true` leaves it out then. */
export interface DotenvFile {
  path: string;
  optional?: boolean;
}

/** The default export of a mityfile; `T` maps each task name to its params' declaration. */
export interface MityConfig<T = Record<string, unknown>> {
  /** The task a bare `mity` runs. */
  default?: NoInfer<keyof T & string>;
  /** Added to every task's environment. */
  env?: Readonly<Record<string, string>>;
  /** Like a task's `secrets`, for every task of this file and of the files it includes. */
  secrets?: readonly string[];
  /** Namespace to a directory or file holding another mityfile, or to the git repository that belongs there. */
  include?: Readonly<Record<string, string | IncludeRepository>>;
  /** How `mity --export` maps the run to a CI service. */
  ci?: CiConfig;
  /** Git hook name to the tasks it runs. */
  hooks?: Readonly<Record<string, readonly DepName<NoInfer<keyof T & string>>[]>>;
  tasks: { [K in keyof T]: TaskConfig<NoInfer<keyof T & string>, T[K]> };
}

/** An include whose directory is a git repository of its own: `mity --sync` clones and updates it. */
export interface IncludeRepository {
  /** Where it belongs, relative to this mityfile. */
  path: string;
  /** Its URL, as `git clone` takes it (`git@git.lab:infra/firewall.git`). */
  git: string;
  /** The branch it tracks (default: the repository's default branch). */
  ref?: string;
}

/** Settings of `mity --export`. */
export interface CiConfig {
  /** A task's `pool` to the runner labels of the job that runs it (`{ bastion: ["self-hosted", "bastion"] }`). */
  runsOn?: Readonly<Record<string, readonly string[]>>;
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
  /** The attempt that ended it, from 1, for a task with `retries` (or run more than once). */
  readonly attempt?: number;
}
