import { existsSync } from "node:fs";
import { paramEnvironment } from "../graph/params.js";
import type { TaskNode } from "../graph/graph.js";
import type { CommandResult, TaskOutcome, TaskState } from "../types.js";
import { formatDuration } from "../util/duration.js";
import { CommandError } from "../util/errors.js";
import { createContext, type ContextOptions } from "./context.js";
import { loadDotenv } from "./dotenv.js";
import { oneLine } from "../util/one-line.js";
import type { TaskEnvironment } from "./environment.js";
import type { EventSink } from "./events.js";
import { runCommand } from "./process.js";
import type { TaskStop } from "./stop.js";

/** What the tasks of one run share. */
export interface WorkContext {
  /**
   * Working directories this run has already found: thousands of tasks share a few, so each is looked
   * for once per run (a run, not the process: a program may call run() again after removing one).
   */
  seenDirectories: Set<string>;
  /** Calls the listener when running commands are to be killed at once (a second Ctrl-C); returns how to forget it. */
  onKill: (listener: () => void) => () => void;
  graceMs: number;
  /** Param values of each task that has any. */
  params: ReadonlyMap<string, Readonly<Record<string, unknown>>> | undefined;
  environment: TaskEnvironment;
  args: readonly string[];
  staged: readonly string[];
  emit: EventSink;
  now: () => number;
  onGroup: (pgid: number, alive: boolean) => void;
  /** Why running tasks were stopped: the reason a cancelled task gives. */
  cancelReason: () => string | undefined;
}

export type WorkOutcome = Omit<TaskOutcome, "name">;

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Does a task's own work (its deps are done and it holds a slot) and says how it ended: at once when
 * the work was synchronous (a run function that returned no promise), else as a promise. Never throws.
 */
export function doWork(task: TaskNode, work: WorkContext, stop: TaskStop): WorkOutcome | Promise<WorkOutcome> {
  const started = work.now();
  work.emit({ event: "start", task: task.name, time: started });
  const doing = new TaskWork(task, work, stop, started);
  try {
    if (!work.seenDirectories.has(task.cwd)) {
      if (!existsSync(task.cwd)) return doing.settle("failed", { reason: `working directory ${task.cwd} does not exist` });
      work.seenDirectories.add(task.cwd);
    }
    if (task.dotenv.length > 0) doing.dotenv = loadDotenv(task.dotenv, task.optionalDotenv);
    return typeof task.run === "function" ? doing.call(task.run) : doing.commands(task.run ?? []);
  } catch (error) {
    return doing.failed(error);
  }
}

/** One task's work in progress: its methods live on the prototype, so a task costs one object, not a dozen closures. */
class TaskWork implements ContextOptions {
  exitCode: number | undefined;
  dotenv: Readonly<Record<string, string>> = {};
  #env: Record<string, string> | undefined;

  constructor(
    readonly task: TaskNode,
    readonly work: WorkContext,
    readonly stop: TaskStop,
    readonly started: number,
  ) {
    this.params = work.params?.get(task.name) ?? NO_PARAMS;
  }

  readonly params: Readonly<Record<string, unknown>>;

  // Built on first use: most function tasks never start a process or read ctx.env.
  env(): Record<string, string> {
    return (this.#env ??= this.work.environment(this.task, { dotenv: this.dotenv, params: paramEnvironment(this.params) }));
  }

  output(stream: "stdout" | "stderr", line: string): void {
    this.work.emit({ event: "output", task: this.task.name, stream, line, time: this.work.now() });
  }

  exec(command: string): Promise<CommandResult> {
    const { work, task } = this;
    work.emit({ event: "command", task: task.name, command: oneLine(command), time: work.now() });
    return runCommand({
      command, cwd: task.cwd, env: this.env(), onStop: (listener) => this.stop.onStop(listener), onKill: work.onKill, graceMs: work.graceMs,
      inherit: task.interactive, onLine: (stream, line) => this.output(stream, line), onGroup: work.onGroup,
    });
  }

  // What `ctx` is made from (ContextOptions): this object itself, so a task's context costs no closures of its own here.
  get name(): string {
    return this.task.name;
  }

  get cwd(): string {
    return this.task.cwd;
  }

  get args(): readonly string[] {
    return this.work.args;
  }

  get staged(): readonly string[] {
    return this.work.staged;
  }

  signal(): AbortSignal {
    return this.stop.signal;
  }

  log(line: string): void {
    this.output("stdout", line);
  }

  call(run: Extract<TaskNode["run"], Function>): WorkOutcome | Promise<WorkOutcome> {
    const { work } = this;
    const ctx = createContext(this);
    // Called at once: a function that returns no promise is done without a turn of the event loop.
    const result = run(ctx);
    if (!isThenable(result)) return this.finished();
    return untilSettledOrAbandoned(Promise.resolve(result), this.stop, work.graceMs).then(() => this.finished(), (error: unknown) => this.failed(error));
  }

  async commands(commands: readonly string[]): Promise<WorkOutcome> {
    try {
      for (const command of commands) {
        const result = await this.exec(command);
        this.exitCode = result.exitCode;
        if (this.stop.cause !== undefined) break;
        if (result.exitCode !== 0) return this.settle("failed", { reason: `exit code ${result.exitCode} from: ${oneLine(command)}` });
      }
      return this.finished();
    } catch (error) {
      return this.failed(error);
    }
  }

  settle(state: TaskState, extra?: Partial<TaskOutcome>): WorkOutcome {
    const duration = this.work.now() - this.started;
    const outcome: WorkOutcome = this.exitCode === undefined ? { state, duration } : { state, duration, exitCode: this.exitCode };
    return extra ? { ...outcome, ...extra } : outcome;
  }

  finished(): WorkOutcome {
    return this.stopped() ?? this.settle("ok");
  }

  failed(error: unknown): WorkOutcome {
    if (error instanceof CommandError) this.exitCode = error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    return this.stopped() ?? this.settle("failed", { reason: message, error });
  }

  stopped(): WorkOutcome | undefined {
    const { stop } = this;
    if (stop.cause === undefined) return undefined;
    if (stop.cause === "timeout") return this.settle("failed", { reason: `timed out after ${formatDuration(this.task.timeout!)}` });
    return this.settle("cancelled", { reason: this.work.cancelReason() ?? "stopped" });
  }
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";

/**
 * Waits for a run function; once the task is stopped it gets the grace period to settle, after which
 * the task ends anyway (a function that ignores its signal cannot hold the run).
 */
function untilSettledOrAbandoned(work: Promise<unknown>, stop: TaskStop, graceMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const forget = stop.onStop(() => {
      timer = setTimeout(() => resolve(undefined), graceMs);
    });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      forget();
    });
  });
}
