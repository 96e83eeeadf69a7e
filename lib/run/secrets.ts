/** Names whose values are hidden unless a mityfile says otherwise (`secrets: ["!NAME"]`). */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_KEY|PRIVATE_KEY/i;

/** Shorter values (blanks not counted) are left alone: masking `1` or `yes` would garble every line. */
export const MIN_SECRET_LENGTH = 4;

export const MASKED = "***";

/** Replaces every secret value in a text with `***`. */
export type Mask = (text: string) => string;

/** A mityfile's `secrets` entries, in order, as name to whether it is secret: a later entry wins. */
export function secretRules(entries: readonly string[]): ReadonlyMap<string, boolean> {
  const rules = new Map<string, boolean>();
  for (const entry of entries) {
    if (entry.startsWith("!")) rules.set(entry.slice(1), false);
    else rules.set(entry, true);
  }
  return rules;
}

/** Whether a variable's value is hidden: as declared, else by the look of its name. */
export function isSecretName(name: string, rules: ReadonlyMap<string, boolean>): boolean {
  return rules.get(name) ?? SECRET_NAME.test(name);
}

/** Adds a value to hide, and each line of one that spans lines (output is read line by line). */
export function addSecret(values: Set<string>, value: string | undefined): void {
  if (value === undefined || value.trim().length < MIN_SECRET_LENGTH) return;
  values.add(value);
  if (!value.includes("\n")) return;
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= MIN_SECRET_LENGTH) values.add(line);
}

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Makes the masks of one run: tasks that hide the same values share one compiled search, longest
 * value first so a value that holds another is hidden whole.
 */
export function maskMaker(): (values: ReadonlySet<string>) => Mask | undefined {
  const made = new Map<string, Mask>();
  return (values) => {
    if (values.size === 0) return undefined;
    const sorted = [...values].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    const key = sorted.join("\0");
    let mask = made.get(key);
    if (mask === undefined) {
      const search = new RegExp(sorted.map(escape).join("|"), "g");
      made.set(key, (mask = (text) => text.replace(search, MASKED)));
    }
    return mask;
  };
}
