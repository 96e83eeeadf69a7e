/** Words a shell gives meaning to (builtins and keywords): a command starting with one needs the shell. */
const SHELL_WORDS = new Set([
  ".", ":", "[", "alias", "bg", "break", "case", "cd", "command", "continue", "declare", "do", "done", "elif", "else",
  "esac", "eval", "exec", "exit", "export", "fc", "fg", "fi", "for", "function", "getopts", "hash", "if", "jobs", "kill",
  "let", "local", "pwd", "read", "readonly", "return", "select", "set", "shift", "source", "then", "time", "times",
  "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset", "until", "wait", "while",
]);

/** Plain words only: no quotes, variables, globs, redirections, pipes, separators or escapes. */
const PLAIN = /^[A-Za-z0-9_\-+.,/:@%=]+(?:[ \t]+[A-Za-z0-9_\-+.,/:@%=]+)*$/;

/**
 * The argv of a command that needs no shell (as make does: one process instead of two), or undefined
 * when the text has anything the shell would interpret.
 */
export function directArgv(command: string): string[] | undefined {
  const text = command.trim();
  if (!PLAIN.test(text)) return undefined;
  const words = text.split(/[ \t]+/);
  const first = words[0]!;
  if (SHELL_WORDS.has(first) || first.includes("=")) return undefined;
  return words;
}

/** The program and arguments that run a command string. */
export function commandArgv(command: string, platform: NodeJS.Platform = process.platform): string[] {
  if (platform === "win32") return [process.env.ComSpec ?? "cmd.exe", "/d", "/s", "/c", command];
  return directArgv(command) ?? ["/bin/sh", "-c", command];
}

/** Quotes a value as one word for `/bin/sh`. */
export function shellQuote(value: string): string {
  if (value !== "" && /^[A-Za-z0-9_\-+.,/:@%=]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
