/**
 * Errors that a task's code lets escape: a promise rejected with no handler (a `ctx.sh` without
 * `await`), a throw from a timer, a call to `process.exit()`. Node would end mity at once, with a raw
 * stack, no summary and commands left running. While a run is open they are taken over instead: each
 * goes to the task whose code made it (known through AsyncLocalStorage, which follows the task's code
 * across timers and promises), or, when that task has ended or none made it, to the run itself.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { describeError } from "../util/error-location.js";

/** A running task's side: takes an error its code let escape; false once the task has ended. */
export interface ErrorOwner {
  readonly name: string;
  strayError(error: unknown): boolean;
}

/** The run's side: an error that no running task can take (`task` names the one that ended, if known). */
export type RunErrorSink = (error: unknown, task: string | undefined) => void;

/** What of the process the guard takes over while runs are open (the real `process`, or a fake in tests). */
export interface ProcessHost {
  on(event: "unhandledRejection" | "uncaughtException", listener: (error: unknown) => void): unknown;
  off(event: "unhandledRejection" | "uncaughtException", listener: (error: unknown) => void): unknown;
  exit: (code?: number | string | null) => never;
}

/** What `process.exit()` does while tasks run: it fails the caller's task and unwinds its code. */
export class ExitCalled extends Error {
  constructor(readonly code: number | string | null | undefined) {
    super(`called process.exit(${code ?? ""})`);
    this.name = "ExitCalled";
  }
}

// Made at the first run function: a run of commands alone never pays for async context tracking.
let storage: AsyncLocalStorage<ErrorOwner> | undefined;
const runs: RunErrorSink[] = [];
let host: ProcessHost | undefined;
let realExit: ProcessHost["exit"] | undefined;
// An error is handed on once, though it may come back (process.exit's error thrown out of a timer).
const handed = new WeakSet<object>();

/** Runs `fn` as the task's code: what it starts, now or later, belongs to `owner`. */
export function runAsTask<T>(owner: ErrorOwner, fn: () => T): T {
  return (storage ??= new AsyncLocalStorage()).run(owner, fn);
}

/** Takes over stray errors and `process.exit()` of `on` until the returned function is called. */
export function openGuard(on: ProcessHost, sink: RunErrorSink): () => void {
  runs.push(sink);
  if (runs.length === 1) {
    host = on;
    on.on("unhandledRejection", handOn);
    on.on("uncaughtException", handOn);
    realExit = on.exit;
    on.exit = trappedExit;
  }
  return () => {
    const index = runs.indexOf(sink);
    if (index === -1) return;
    runs.splice(index, 1);
    if (runs.length > 0 || !host) return;
    host.off("unhandledRejection", handOn);
    host.off("uncaughtException", handOn);
    if (host.exit === trappedExit) host.exit = realExit!;
    host = realExit = undefined;
  };
}

function handOn(error: unknown): void {
  if (typeof error === "object" && error !== null) {
    if (handed.has(error)) return;
    handed.add(error);
  }
  const owner = storage?.getStore();
  if (owner?.strayError(error)) return;
  // The latest run: one process rarely holds more than one.
  runs.at(-1)?.(error, owner?.name);
}

function trappedExit(code?: number | string | null): never {
  const error = new ExitCalled(code);
  handOn(error);
  // Whatever followed the call must not run: it believed the process was gone.
  throw error;
}

/** What the run says of an error no running task could take; `dir` is the project's, to name the place in it. */
export function strayMessage(error: unknown, task: string | undefined, dir: string): string {
  const who = task === undefined ? "code outside any task" : `task "${task}", after it had ended,`;
  const what = error instanceof ExitCalled ? error.message : `let an error escape: ${describeError(error, dir)}`;
  return `${who} ${what} (the run fails)`;
}
