import { connect } from "node:net";

/** How often a service's port is tried until it takes a connection. */
const POLL_MS = 100;

/**
 * Resolves once `host:port` takes a TCP connection (tried every POLL_MS), or when `signal` aborts:
 * true when it connected. The connection is closed at once: only that it could be opened counts.
 */
export function waitForPort(host: string, port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (ready: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(ready);
    };
    const onAbort = () => done(false);
    const attempt = () => {
      if (signal.aborted) return done(false);
      const socket = connect({ host, port });
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => {
        socket.destroy();
        if (!signal.aborted) timer = setTimeout(attempt, POLL_MS);
      });
    };
    if (signal.aborted) return resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
    attempt();
  });
}

/** The first of a service's output lines (stdout and stderr alike) that matches `pattern`. */
export function logMatcher(pattern: RegExp): (line: string) => boolean {
  // A /g or /y pattern keeps its place between tests: a copy without them matches each line afresh.
  const plain = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
  return (line) => plain.test(line);
}
