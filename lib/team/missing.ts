import { relative } from "node:path";
import type { IncludedRepository } from "../config/includes.js";

/** For `--list` while repositories are missing: which namespaces are left out, and how to get them. */
export function describeMissing(missing: readonly IncludedRepository[], cwd: string): string {
  const width = Math.max(...missing.map((repository) => repository.namespace.length + 1));
  const lines = missing.map((repository) => `  ${`${repository.namespace}:`.padEnd(width)}  ${relative(cwd, repository.path) || "."} from ${repository.git}`);
  return `\nNot cloned yet, so not listed (run "mity --sync"):\n${lines.join("\n")}\n`;
}
