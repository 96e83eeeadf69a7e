import { readFileSync } from "node:fs";

/**
 * Parses a `.env` file: `KEY=value` lines, an optional `export ` before the key, `#` comments, single
 * quotes taken literally, double quotes with `\n`, `\t`, `\"` and `\\` escapes. No `$VAR` expansion.
 */
function parseDotenv(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/s.exec(line);
    if (!match) throw new Error(`${file}:${i + 1}: expected KEY=value, got ${quoteShort(line)}`);
    let value = match[2]!;
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines until its closing quote.
      while (!closes(value, quote) && i + 1 < lines.length) value += `\n${lines[++i]}`;
      if (!closes(value, quote)) throw new Error(`${file}:${i + 1}: the quote opened for ${match[1]} is never closed`);
      const body = value.slice(1, closingQuote(value, quote));
      value = quote === "'" ? body : body.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
    } else {
      value = value.replace(/\s+#.*$/, "").trim();
    }
    values[match[1]!] = value;
  }
  return values;
}

/** A line for a message, cut: a binary file read as text is one line of many thousands of characters. */
function quoteShort(line: string, most = 60): string {
  return line.length <= most ? JSON.stringify(line) : `${JSON.stringify(line.slice(0, most))}… (${line.length} characters; is it a text file?)`;
}

/** Where the quote opened at 0 closes (a double-quoted value may escape it), or -1. */
function closingQuote(value: string, quote: string): number {
  for (let i = 1; i < value.length; i++) {
    if (value[i] === "\\" && quote === '"') i++;
    else if (value[i] === quote) return i;
  }
  return -1;
}

/** Whether the quoted value is complete: its quote closes, followed by nothing or a comment. */
function closes(value: string, quote: string): boolean {
  const end = closingQuote(value, quote);
  if (end === -1) return false;
  const rest = value.slice(end + 1).trim();
  return rest === "" || rest.startsWith("#");
}

/**
 * Reads `.env` files in order (later ones win); a missing or malformed file is an error naming it,
 * except that a missing one of `optional` is left out.
 */
export function loadDotenv(files: readonly string[], optional: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && optional.includes(file)) continue;
      throw new Error(code === "ENOENT" ? `dotenv file ${file} does not exist` : `cannot read dotenv file ${file}: ${(error as Error).message}`);
    }
    Object.assign(values, parseDotenv(text, file));
  }
  return values;
}
