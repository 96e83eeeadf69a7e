import type { RunSettings } from "./settings.js";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { paramEnvironment } from "../graph/params.js";
import type { TaskNode } from "../graph/graph.js";
import type { CommandResult, TaskOutcome, TaskState } from "../types.js";
import { formatDuration } from "../util/duration.js";
import { describeError, mapStack } from "../util/error-location.js";
import { CommandError } from "../util/errors.js";
import { createContext, type ContextOptions } from "./context.js";
import { loadDotenv } from "./dotenv.js";
import { oneLine } from "../util/one-line.js";
import type { TaskEnvironment } from "./environment.js";
import type { EventSink } from "./events.js";
import type { Mask } from "./secrets.js";
import type { OutputGate } from "./flow.js";
import { runCommand } from "./process.js";
import type { TaskStop } from "./stop.js";
import { runAsTask, type ErrorOwner } from "./stray-errors.js";

/** What the tasks of one run share. */
export interface WorkContext extends Pick<RunSettings, "graceMs" | "args"> {
  /**
   * Working directories this run has already found: thousands of tasks share a few, so each is looked
   * for once per run (a run, not the process: a program may call run() again after removing one).
   */
  seenDirectories: Set<string>;
  /** Calls the listener when running commands are to be killed at once (a second Ctrl-C); returns how to forget it. */
  onKill: (listener: () => void) => () => void;
  /** Param values of each task that has any. */
  params: ReadonlyMap<string, Readonly<Record<string, unknown>>> | undefined;
  environment: TaskEnvironment;
  staged: readonly string[];
  emit: EventSink;
  now: () => number;
  onGroup: (pgid: number, alive: boolean) => void;
  /** Held while the run's output cannot be taken: commands' pipes are not read meanwhile. */
  flow?: OutputGate | undefined;
  /** Says something about the run as a whole (not about a task), at most once per message. */
  warn?: ((message: string) => void) | undefined;
}

/**
 * How a task's work ended; `stack`, when its code threw, names the mityfile's own lines; `pool` and
 * `worker` say where it ran when a dispatcher other than the local one ran it.
 */
export type WorkOutcome = Omit<TaskOutcome, "name"> & { stack?: string; pool?: string; worker?: string };

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Does a task's own work (its deps are done and it holds a slot) and says how it ended: at once when
 * the work was synchronous (a run function that returned no promise), else as a promise. Never throws.
 * `attempt` counts from 1; the start names it when the task may have more than one.
 */
export function doWork(task: TaskNode, work: WorkContext, stop: TaskStop, attempt = 1): WorkOutcome | Promise<WorkOutcome> {
  const started = work.now();
  work.emit(attempt > 1 || task.retries ? { event: "start", task: task.name, time: started, attempt } : { event: "start", task: task.name, time: started });
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
class TaskWork implements ContextOptions, ErrorOwner {
  exitCode: number | undefined;
  dotenv: Readonly<Record<string, string>> = {};
  #env: Record<string, string> | undefined;
  #mask: Mask | null | undefined;
  /** Commands of `ctx.sh` still running: the task is not over while one is, awaited or not. */
  #commands = 0;
  #noCommandsLeft: (() => void) | undefined;
  /** The error that failed the task while its code went on (one it let escape); set with the stop cause "failed". */
  #failure: unknown;
  #ended = false;

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
    return (this.#env ??= this.work.environment.env(this.task, { dotenv: this.dotenv, params: paramEnvironment(this.params) }));
  }

  // Everything the task shows passes here: its output, its command lines and why it ended.
  masked(text: string): string {
    const mask = this.mask();
    return mask === null ? text : mask(text);
  }

  /** The task's secret mask, or null when it has no secret values to hide. */
  mask(): Mask | null {
    return this.#mask === undefined ? (this.#mask = this.work.environment.mask(this.task, { dotenv: this.dotenv, params: paramEnvironment(this.params) }) ?? null) : this.#mask;
  }

  /**
   * A line of output; one not `read` from a command's bytes comes as a chunk of its own too, for `--output raw`.
   * A task with secrets to hide passes its bytes on as masked lines instead: a secret may be split between two chunks.
   */
  output(stream: "stdout" | "stderr", line: string, read?: boolean): void {
    const time = this.work.now();
    const shown = this.masked(line);
    if (!read || this.mask() !== null) this.work.emit({ event: "chunk", task: this.task.name, stream, data: Buffer.from(`${shown}\n`), time });
    this.work.emit({ event: "output", task: this.task.name, stream, line: shown, time });
  }

  exec(command: string): Promise<CommandResult> {
    const { work, task } = this;
    work.emit({ event: "command", task: task.name, command: this.masked(oneLine(command)), time: work.now() });
    this.#commands++;
    const running = runCommand({
      command, cwd: task.cwd, env: this.env(), onStop: (listener) => this.stop.onStop(listener), onKill: work.onKill, graceMs: work.graceMs,
      inherit: task.interactive, onLine: (stream, line, read) => this.output(stream, line, read), onGroup: work.onGroup, onDescriptorShortage: () => warnShortage(work),
      onChunk: (stream, data) => {
        if (this.mask() === null) work.emit({ event: "chunk", task: task.name, stream, data, time: work.now() });
      },
      flow: work.flow,
    });
    return running.finally(() => {
      if (--this.#commands === 0) this.#noCommandsLeft?.();
    });
  }

  /** Takes an error the task's code let escape (see stray-errors.ts): the task fails with it and is stopped. */
  strayError(error: unknown): boolean {
    if (this.#ended) return false;
    if (this.stop.cause === undefined) this.#failure = error;
    this.stop.stop("failed");
    return true;
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
    const result = runAsTask(this, () => run(ctx));
    if (!isThenable(result)) return this.finished();
    // Ended after this turn's unhandled rejections are known: one the function made goes to this task.
    return untilSettledOrAbandoned(Promise.resolve(result), this.stop, work.graceMs).then(
      () => afterRejections().then(() => this.finished()),
      (error: unknown) => afterRejections().then(() => this.failed(error)),
    );
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

  settle(state: TaskState, extra?: Partial<WorkOutcome>): WorkOutcome {
    this.#ended = true;
    const duration = this.work.now() - this.started;
    const outcome: WorkOutcome = this.exitCode === undefined ? { state, duration } : { state, duration, exitCode: this.exitCode };
    if (!extra) return outcome;
    // The reason and the stack are shown (summary, -v, run log): a secret in an error's message must not be.
    const shown = { ...outcome, ...extra };
    if (extra.reason !== undefined) shown.reason = this.masked(extra.reason);
    if (extra.stack !== undefined) shown.stack = this.masked(extra.stack);
    return shown;
  }

  finished(): WorkOutcome | Promise<WorkOutcome> {
    if (this.#commands > 0) return this.commandsEnded().then(() => this.finished());
    return this.stopped() ?? this.settle("ok");
  }

  failed(error: unknown): WorkOutcome | Promise<WorkOutcome> {
    if (this.#commands > 0) {
      // Commands the code started and did not wait for go with it.
      this.strayError(error);
      return this.commandsEnded().then(() => this.failed(error));
    }
    if (error instanceof CommandError) this.exitCode = error.exitCode;
    return this.stopped() ?? this.settle("failed", describeFailure(error, this.task));
  }

  /** Resolves once no command of the task runs, and a rejection of its `ctx.sh` promise has been seen if nothing handled it. */
  commandsEnded(): Promise<void> {
    return new Promise<void>((resolve) => (this.#noCommandsLeft = resolve)).then(afterRejections);
  }

  stopped(): WorkOutcome | undefined {
    const { stop } = this;
    if (stop.cause === undefined) return undefined;
    if (stop.cause === "failed") {
      const error = this.#failure;
      if (error instanceof CommandError) this.exitCode = error.exitCode;
      return this.settle("failed", describeFailure(error, this.task));
    }
    if (stop.cause === "timeout") return this.settle("failed", { reason: `timed out after ${formatDuration(this.task.timeout!)}` });
    return this.settle("cancelled", { reason: stop.reason ?? "stopped" });
  }
}

const warnedShortage = new WeakSet<WorkContext>();

/** Once per run: commands wait for file descriptors, and the run is slower for it. */
function warnShortage(work: WorkContext): void {
  if (warnedShortage.has(work)) return;
  warnedShortage.add(work);
  work.warn?.("out of file descriptors: commands wait for running ones to end before they start (lower -j, or raise the limit with ulimit -n)");
}

/** Why a task failed, from what its code threw: the message and where the mityfile threw it (the stack, too, for the run log and -v). */
function describeFailure(error: unknown, task: TaskNode): Partial<WorkOutcome> {
  const dir = dirname(task.file);
  const reason = describeError(error, dir);
  return error instanceof Error && typeof error.stack === "string" ? { reason, error, stack: mapStack(error.stack, dir) } : { reason, error };
}

let turnEnd: Promise<void> | undefined;

/**
 * Resolves after the turn's unhandled rejections have been reported (Node does so once the turn's
 * promise jobs are done, before any immediate): one immediate for all the tasks that wait in a turn.
 */
function afterRejections(): Promise<void> {
  return (turnEnd ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      turnEnd = undefined;
      resolve();
    }),
  ));
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
