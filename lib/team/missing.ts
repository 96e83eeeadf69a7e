import { relative } from "node:path";
import type { IncludedRepository } from "../config/includes.js";

/** For `--list` while repositories are missing: which namespaces are left out, and how to get them. */
export function describeMissing(missing: readonly IncludedRepository[], cwd: string): string {
  const lines = missing.map((repository) => `  ${repository.namespace}:  ${relative(cwd, repository.path) || "."} from ${repository.git}`);
  return `\nNot cloned yet, so not listed (run "mity --sync"):\n${lines.join("\n")}\n`;
}
