/** Whether to colour output: NO_COLOR and TERM=dumb turn it off, FORCE_COLOR on, else a terminal decides. */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.TERM === "dumb") return false;
  return isTTY;
}

const CODES = {
  bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39],
  magenta: [35, 39], cyan: [36, 39], gray: [90, 39],
} as const;

export type StyleName = keyof typeof CODES;
export type Style = Record<StyleName, (text: string) => string>;

/** Functions that wrap text in ANSI styles, or leave it alone when colour is off. */
export function createStyle(enabled: boolean): Style {
  const entries = Object.entries(CODES).map(([name, [open, close]]) => [
    name,
    enabled ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : (text: string) => text,
  ]);
  return Object.fromEntries(entries) as Style;
}

/** Colours that tell neighbouring task prefixes apart. */
export const TASK_COLORS: readonly StyleName[] = ["cyan", "magenta", "blue", "yellow", "green"];
