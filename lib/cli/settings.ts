/** The settings file's defaults under the command line: an option typed on the command line wins. */
import { loadSettings, type Settings } from "../config/settings.js";
import type { CliRequest } from "./args.js";
import { OPTIONS } from "./options.js";

/** Short option letters to their long names (`k` to `keep-going`). */
const LONG_NAMES = new Map(Object.entries(OPTIONS).flatMap(([name, spec]) => ("alias" in spec ? [[spec.alias, name] as const] : [])));

/** The long names of mity's options typed before `--`: `--name`, `--name=x`, `--no-name`, `-k`, `-kp`. */
export function typedOptions(argv: readonly string[]): Set<string> {
  const typed = new Set<string>();
  for (const word of argv) {
    if (word === "--") break;
    if (word.startsWith("--")) typed.add(word.slice(2).split("=")[0]!.replace(/^no-/, ""));
    else if (/^-[A-Za-z]/.test(word)) for (const letter of word.slice(1)) typed.add(LONG_NAMES.get(letter) ?? letter);
  }
  return typed;
}

/** The request with the settings filling in what the command line left unsaid. */
export function applySettings(request: CliRequest, argv: readonly string[], settings: Settings): CliRequest {
  const typed = typedOptions(argv);
  const applied = { ...request };
  if (request.concurrency === undefined && settings.concurrency !== undefined) applied.concurrency = settings.concurrency;
  if (!typed.has("parallel") && settings.parallel !== undefined) applied.parallel = settings.parallel;
  // The two failure policies are one choice: either typed decides both.
  if (!typed.has("keep-going") && !typed.has("fail-fast")) {
    if (settings.keepGoing !== undefined) applied.keepGoing = settings.keepGoing;
    if (settings.failFast !== undefined) applied.failFast = settings.failFast;
  }
  if (!typed.has("output") && settings.output !== undefined) applied.output = settings.output;
  if (request.graceMs === undefined && settings.grace !== undefined) applied.graceMs = settings.grace * 1000;
  return applied;
}

/** The request under the settings of the project whose root mityfile is in `root`, if it has any. */
export async function withSettings(request: CliRequest, argv: readonly string[], root: string): Promise<CliRequest> {
  const found = await loadSettings(root);
  return found ? applySettings(request, argv, found.settings) : request;
}
