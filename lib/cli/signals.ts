/** The part of `process` that delivers signals. */
export interface SignalSource {
  on(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  off(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
}

export interface RunSignals {
  /** Aborted by the first SIGINT or SIGTERM: start nothing new, stop running tasks gently. */
  interrupt: AbortSignal;
  /** Aborted by a second one: kill at once. */
  kill: AbortSignal;
  /** The first signal received. */
  received(): "SIGINT" | "SIGTERM" | undefined;
  dispose(): void;
}

/** Maps SIGINT and SIGTERM to the two abort signals of a run; `onFirst` and `onSecond` are told each once. */
export function watchSignals(
  source: SignalSource,
  onFirst?: (signal: "SIGINT" | "SIGTERM") => void,
  onSecond?: (signal: "SIGINT" | "SIGTERM") => void,
): RunSignals {
  const interrupt = new AbortController();
  const kill = new AbortController();
  let first: "SIGINT" | "SIGTERM" | undefined;
  const handle = (signal: "SIGINT" | "SIGTERM") => () => {
    if (first === undefined) {
      first = signal;
      onFirst?.(signal);
      interrupt.abort(signal);
    } else if (!kill.signal.aborted) {
      onSecond?.(signal);
      kill.abort(signal);
    }
  };
  const onInt = handle("SIGINT");
  const onTerm = handle("SIGTERM");
  source.on("SIGINT", onInt);
  source.on("SIGTERM", onTerm);
  return {
    interrupt: interrupt.signal,
    kill: kill.signal,
    received: () => first,
    dispose() {
      source.off("SIGINT", onInt);
      source.off("SIGTERM", onTerm);
    },
  };
}
