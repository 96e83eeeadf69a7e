import type { MityEvent } from "../run/events.js";
import type { Style } from "../util/style.js";

/** Where a reporter writes: task output and progress to `out`, problems and the summary to `err`. */
export interface ReportStreams {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Bytes written as they are, to stdout or stderr (`--output raw`); without it they go to `out`/`err` as text. */
  bytes?: ((stream: "stdout" | "stderr", data: Uint8Array) => void) | undefined;
}

export type Verbosity = "silent" | "normal" | "verbose";

export interface ReporterOptions extends ReportStreams {
  style: Style;
  verbosity: Verbosity;
  /** Names of the selected tasks, to align prefixes and lay out views. */
  tasks: readonly string[];
  /** Where this run's full output is kept, named by the summary once something was kept. */
  logDir?: (() => string | undefined) | undefined;
}

/** Receives the events of a run and shows them. */
export type Reporter = ((event: MityEvent) => void) & {
  /** Waits until everything is shown (a live view has drawn its last frame). */
  close?: () => Promise<void>;
  /** Takes the view off the terminal for an interactive task; the returned function puts it back. */
  yieldTerminal?: () => Promise<() => void>;
  /** The run was asked to stop by `signal` (`kill`: asked again, tasks are killed now): a reporter with this says so itself. */
  stopping?: (signal: string, kill: boolean) => void;
};

/** The kinds of event a run emits. */
export type EventKind = MityEvent["event"];

/** What a reporter does with each kind of event: a new kind does not compile until every reporter says. */
export type EventHandlers = { [K in EventKind]: (event: Extract<MityEvent, { event: K }>) => void };

/** One function over all events from a handler per kind. */
export function byKind(handlers: EventHandlers): (event: MityEvent) => void {
  return (event) => (handlers[event.event] as (event: MityEvent) => void)(event);
}

/** For the kinds a reporter leaves out: named in its table all the same, so leaving one out is a choice. */
export const ignore = (): void => {};
