import { CONFLICTS, OPTIONS } from "./options.js";

type OptionName = keyof typeof OPTIONS;
type Spec = { type: "boolean" | "string" | "number"; alias?: string; choices?: readonly string[]; default?: string };

const SPECS = OPTIONS as Record<OptionName, Spec>;

/** `--list` and `-l` to the option they name. */
const FLAGS = new Map<string, OptionName>();
for (const name of Object.keys(SPECS) as OptionName[]) {
  FLAGS.set(`--${name}`, name);
  const alias = SPECS[name].alias;
  if (alias !== undefined) FLAGS.set(`-${alias}`, name);
}

const GLUED_NUMBER = /^-([A-Za-z])(\d+(?:\.\d+)?)$/;

/**
 * Reads the common command lines (task names, and mity's options written plainly: `--name`, `-n`,
 * `--name value`, `--name=value`, `-j8`) without yargs, whose set-up costs a few milliseconds of every start.
 * It gives up (undefined) on anything else: help, version, a mistake, or a form it does not know, and
 * yargs then reads the line. What it returns has yargs' shape, and a test holds the two readers equal.
 */
export function quickParse(argv: readonly string[]): Record<string, unknown> | undefined {
  const parsed: Record<string, unknown> = { _: [] as string[], "--": [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") {
      parsed["--"] = argv.slice(i + 1);
      break;
    }
    if (!word.startsWith("-")) {
      (parsed._ as string[]).push(word);
      continue;
    }
    // `-j8`, as make is given it: a number glued to its one-letter option.
    const glued = GLUED_NUMBER.exec(word);
    const gluedName = glued ? FLAGS.get(`-${glued[1]}`) : undefined;
    if (gluedName !== undefined && SPECS[gluedName].type === "number") {
      parsed[gluedName] = Number(glued![2]);
      continue;
    }
    const equals = word.startsWith("--") ? word.indexOf("=") : -1;
    const flag = equals === -1 ? word : word.slice(0, equals);
    // yargs reads `--no-x` as x turned off, even where `no-x` is an option of its own (`--no-deps`): so does this.
    const negated = flag.startsWith("--no-") && FLAGS.has(flag) ? (flag.slice(5) as OptionName) : undefined;
    if (negated !== undefined && SPECS[negated]?.type === "boolean") {
      if (equals !== -1 || argv[i + 1] === "true" || argv[i + 1] === "false") return undefined;
      parsed[negated] = false;
      continue;
    }
    const name = FLAGS.get(flag);
    if (name === undefined) return undefined;
    const spec = SPECS[name];
    if (spec.type === "boolean") {
      // yargs takes a following "true" or "false" as the switch's value: leave such lines to it.
      if (equals !== -1 || argv[i + 1] === "true" || argv[i + 1] === "false") return undefined;
      parsed[name] = true;
      continue;
    }
    let value: string;
    if (equals !== -1) value = word.slice(equals + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("-")) return undefined;
      value = next;
      i++;
    }
    if (spec.choices && !spec.choices.includes(value)) return undefined;
    if (spec.type === "number") {
      if (!/^\d+(\.\d+)?$/.test(value)) return undefined;
      parsed[name] = Number(value);
    } else {
      parsed[name] = value;
    }
  }
  if (CONFLICTS.some(([a, b]) => parsed[a] !== undefined && parsed[b] !== undefined)) return undefined;
  for (const name of Object.keys(SPECS) as OptionName[]) {
    const fallback = SPECS[name].default;
    if (fallback !== undefined && parsed[name] === undefined) parsed[name] = fallback;
  }
  return parsed;
}
