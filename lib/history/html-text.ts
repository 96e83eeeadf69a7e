import type { TaskState } from "../types.js";

/** Text made safe inside HTML and SVG, in content and in quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITY[char]!);
}

const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Terminal colour codes and other control characters, which a page would show as garbage. */
export function plainText(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|[\x00-\x08\x0b-\x1f\x7f]/g, "");
}

/** A long name cut to fit a box; the full one goes in its tooltip. */
export function shorten(text: string, most: number): string {
  return text.length <= most ? text : `${text.slice(0, most - 1)}…`;
}

/** Each state's mark, so the page reads without colour (and in print). */
export const STATE_MARK: Record<TaskState, string> = { ok: "✓", failed: "✗", cancelled: "■", skipped: "–", "up-to-date": "=" };

export const STATES = Object.keys(STATE_MARK) as TaskState[];
