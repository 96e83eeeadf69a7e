import { existsSync } from "node:fs";
import { paramEnvironment } from "../graph/params.js";
import type { TaskNode } from "../graph/graph.js";
import type { TaskOutcome, TaskState } from "../types.js";
import { formatDuration } from "../util/duration.js";
import { CommandError } from "../util/errors.js";
import { createContext } from "./context.js";
import { loadDotenv } from "./dotenv.js";
import type { TaskEnvironment } from "./environment.js";
import type { EventSink } from "./events.js";
import { runCommand } from "./process.js";
import type { TaskStop } from "./stop.js";


export interface WorkContext {
  /**
   * Working directories this run has already found: thousands of tasks share a few, so each is looked
   * for once per run (a run, not the process: a program may call run() again after removing one).
   */
  seenDirectories: Set<string>;
  /** Stopped, with its cause, to stop the task. */
  stop: TaskStop;
  /** Calls the listener when running commands are to be killed at once (a second Ctrl-C); returns how to forget it. */
  onKill: (listener: () => void) => () => void;
  graceMs: number;
  params: Readonly<Record<string, unknown>>;
  environment: TaskEnvironment;
  args: readonly string[];
  staged: readonly string[];
  emit: EventSink;
  now: () => number;
  onGroup: (pgid: number, alive: boolean) => void;
  /** Why running tasks were stopped: the reason a cancelled task gives. */
  cancelReason: () => string | undefined;
}

/** Does a task's own work (its deps are done and it holds a slot) and says how it ended. */
export async function doWork(task: TaskNode, work: WorkContext): Promise<Omit<TaskOutcome, "name">> {
  const { emit, now, stop } = work;
  const started = now();
  emit({ event: "start", task: task.name, time: started });
  let exitCode: number | undefined;
  const settle = (state: TaskState, extra?: Partial<TaskOutcome>): Omit<TaskOutcome, "name"> => {
    const outcome: Omit<TaskOutcome, "name"> = exitCode === undefined ? { state, duration: now() - started } : { state, duration: now() - started, exitCode };
    return extra ? { ...outcome, ...extra } : outcome;
  };
  const stopped = () => {
    if (stop.cause === undefined) return undefined;
    if (stop.cause === "timeout") return settle("failed", { reason: `timed out after ${formatDuration(task.timeout!)}` });
    return settle("cancelled", { reason: work.cancelReason() ?? "stopped" });
  };
  const output = (stream: "stdout" | "stderr") => (line: string) => emit({ event: "output", task: task.name, stream, line, time: now() });
  try {
    if (!work.seenDirectories.has(task.cwd)) {
      if (!existsSync(task.cwd)) return settle("failed", { reason: `working directory ${task.cwd} does not exist` });
      work.seenDirectories.add(task.cwd);
    }
    const dotenv = task.dotenv.length > 0 ? loadDotenv(task.dotenv) : {};
    // Built on first use: most function tasks never start a process or read ctx.env.
    let built: Record<string, string | undefined> | undefined;
    const env = () => (built ??= work.environment(task, { dotenv, params: paramEnvironment(work.params) }));
    const exec = (command: string) => {
      emit({ event: "command", task: task.name, command, time: now() });
      return runCommand({
        command, cwd: task.cwd, env: env(), onStop: (listener) => stop.onStop(listener), onKill: work.onKill, graceMs: work.graceMs,
        inherit: task.interactive, onLine: (stream, line) => output(stream)(line), onGroup: work.onGroup,
      });
    };
    if (typeof task.run === "function") {
      const run = task.run;
      const ctx = createContext({
        name: task.name, cwd: task.cwd, env: () => env() as Record<string, string>, params: work.params, args: work.args, staged: work.staged,
        signal: () => stop.signal, log: output("stdout"), exec,
      });
      // Called at once: a function that returns no promise is done without a turn of the event loop.
      const result = run(ctx);
      if (isThenable(result)) await untilSettledOrAbandoned(Promise.resolve(result), stop, work.graceMs);
    } else {
      for (const command of task.run ?? []) {
        const result = await exec(command);
        exitCode = result.exitCode;
        if (stop.cause !== undefined) break;
        if (result.exitCode !== 0) return settle("failed", { reason: `exit code ${result.exitCode} from: ${command}` });
      }
    }
    return stopped() ?? settle("ok");
  } catch (error) {
    if (error instanceof CommandError) exitCode = error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    return stopped() ?? settle("failed", { reason: message, error });
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
