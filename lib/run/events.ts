import type { TaskState } from "../types.js";

/** A task began its own work (its deps are done). */
export interface StartEvent {
  event: "start";
  task: string;
  time: number;
  /** Which attempt this is, from 1: given when the task has `retries` or this is not its first attempt. */
  attempt?: number;
  /** The pool whose worker runs the task, when it does not run in this process's machine. */
  pool?: string;
  worker?: string;
}

/** A shell command of a task is about to run (reporters show it with `--verbose`). */
export interface CommandEvent {
  event: "command";
  task: string;
  command: string;
  time: number;
}

/** One line of a task's output, without its line ending. */
export interface OutputEvent {
  event: "output";
  task: string;
  stream: "stdout" | "stderr";
  line: string;
  time: number;
}

/**
 * A piece of a task's output exactly as it came, bytes unchanged (`--output raw` prints these). The same
 * output also comes as `output` lines, right after the chunk that completes them: show one or the other.
 */
export interface ChunkEvent {
  event: "chunk";
  task: string;
  stream: "stdout" | "stderr";
  data: Uint8Array;
  time: number;
}

/** A task's final state: every selected task gets exactly one. */
export interface EndEvent {
  event: "end";
  task: string;
  state: TaskState;
  duration: number;
  exitCode?: number;
  reason?: string;
  /** The stack of what a failed task's code threw, its frames in the mityfile's own lines. */
  stack?: string;
  /** The attempt that ended the task (see StartEvent), and where it ran. */
  attempt?: number;
  pool?: string;
  worker?: string;
  time: number;
}

/** A service task is ready (its log matched, or its port took a connection): its dependents start. */
export interface ReadyEvent {
  event: "ready";
  task: string;
  /** What made it ready: `log` or `port`. */
  by: "log" | "port";
  /** The log line that matched, or `host:port`. */
  detail: string;
  time: number;
}

/** Watch mode saw files change and reruns the tasks they affect (and their dependents). */
export interface ChangeEvent {
  event: "change";
  /** Changed paths, relative to the root mityfile's directory. */
  paths: string[];
  /** Tasks to run again, in no particular order. */
  tasks: string[];
  /** A mityfile changed and was loaded again. */
  mityfile?: boolean;
  time: number;
}

export type RunState = "ok" | "failed" | "interrupted";

/** The end of the run. */
export interface SummaryEvent {
  event: "summary";
  state: RunState;
  duration: number;
  counts: Record<TaskState, number>;
}

export type MityEvent = StartEvent | CommandEvent | OutputEvent | ChunkEvent | EndEvent | SummaryEvent | ReadyEvent | ChangeEvent;

/** Receives every event of a run, in order. */
export type EventSink = (event: MityEvent) => void;
