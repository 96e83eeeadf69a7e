/** A YAML value as the workflow writer builds it. */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** A mapping key that needs no quotes. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * YAML text of a value, every string double-quoted: JSON's string syntax is YAML's double-quoted
 * style, so no value can be read as a number, a boolean, a comment or a second key.
 */
export function toYaml(value: YamlValue, indent = 0): string {
  return lines(value, indent).join("\n") + "\n";
}

function scalar(value: string | number | boolean | null): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** A script of several lines reads best as a literal block: kept as written, nothing in it is special. */
const isBlock = (text: string) => text.includes("\n") && /^\S/.test(text) && !/[\r\t]|\s\n|\n$|\s$/.test(text);

/** Words some YAML readers take for null or a boolean (`on` is left plain: every workflow writes `on:`). */
const RESERVED = /^(null|true|false|yes|no|y|n|off)$/i;

/** A mapping key as YAML text: plain where nothing can misread it, else quoted. */
export const key = (name: string) => (PLAIN_KEY.test(name) && !RESERVED.test(name) ? name : JSON.stringify(name));

const isScalar = (value: YamlValue): value is string | number | boolean | null => value === null || typeof value !== "object";

function lines(value: YamlValue, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (isScalar(value)) return [`${pad}${scalar(value)}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item: YamlValue) => {
      if (isScalar(item)) return [`${pad}- ${scalar(item)}`];
      const [first, ...rest] = lines(item, indent + 2);
      return [`${pad}- ${first!.slice(indent + 2)}`, ...rest];
    });
  }
  const entries = Object.entries(value as Record<string, YamlValue>);
  if (entries.length === 0) return [`${pad}{}`];
  return entries.flatMap(([name, item]) => {
    if (typeof item === "string" && isBlock(item)) return [`${pad}${key(name)}: |-`, ...item.split("\n").map((line) => (line ? `${pad}  ${line}` : ""))];
    if (isScalar(item)) return [`${pad}${key(name)}: ${scalar(item)}`];
    if (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0) return [`${pad}${key(name)}: ${Array.isArray(item) ? "[]" : "{}"}`];
    return [`${pad}${key(name)}:`, ...lines(item, indent + 2)];
  });
}
