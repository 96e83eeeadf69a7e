const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `1500`, `"1500ms"`, `"90s"`, `"5m"`, `"1.5h"` into milliseconds; undefined when it is not one. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNITS[match[2] ?? "ms"]!;
  return ms > 0 ? ms : undefined;
}

/** `840ms`, `1.24s`, `2m05s`: short and readable. */
export function formatDuration(ms: number): string {
  // Round first, then pick the unit, so 59999 ms reads "1m00s" rather than "60.00s".
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  if (Math.round(ms / 10) < 6000) return `${(Math.round(ms / 10) / 100).toFixed(2)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}
