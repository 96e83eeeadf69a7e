import type { ChangeEvent, ReadyEvent } from "../run/events.js";

const MOST_PATHS = 3;

/** `src/a.ts changed: rerunning test`: what every text reporter says for a `change` event. */
export function describeChange(event: ChangeEvent): string {
  const shown = event.paths.slice(0, MOST_PATHS).join(", ");
  const more = event.paths.length > MOST_PATHS ? ` and ${event.paths.length - MOST_PATHS} more` : "";
  const what = event.tasks.length > 0 ? `rerunning ${event.tasks.join(", ")}` : "nothing to rerun";
  return `${shown}${more} changed${event.mityfile ? " (mityfile loaded again)" : ""}: ${what}`;
}

/** `ready (port 127.0.0.1:5432)`: what every text reporter says for a `ready` event. */
export function describeReady(event: ReadyEvent): string {
  return event.by === "port" ? `ready (port ${event.detail})` : `ready (log: ${event.detail})`;
}
