/** A person's or a team's defaults for mity's options, kept in a settings file that cosmiconfig finds and reads. */
import type { CosmiconfigResult, LoaderSync, PublicExplorerSync } from "cosmiconfig";
import { OUTPUT_MODES, type OutputMode } from "../report/choose.js";
import { didYouMean } from "../graph/suggest.js";
import { MityError } from "../util/errors.js";
import { cosmiconfigLibrary } from "./find.js";

export interface Settings {
  concurrency?: number;
  parallel?: boolean;
  keepGoing?: boolean;
  failFast?: boolean;
  output?: OutputMode;
  /** Seconds between SIGTERM and SIGKILL. */
  grace?: number;
  /** Where the queue of pools lives. */
  redis?: string;
}

export interface FoundSettings {
  file: string;
  settings: Settings;
}

/** Where a project's settings are looked for, beside its root mityfile, in this order. */
export const SETTINGS_PLACES = [
  "package.json",
  ".mityrc",
  ".mityrc.json",
  ".mityrc.yaml",
  ".mityrc.yml",
  "mity.config.json",
  "mity.config.yaml",
  "mity.config.yml",
  "mity.config.js",
  "mity.config.mjs",
  "mity.config.cjs",
  "mity.config.ts",
  "mity.config.mts",
];

const isBoolean = (value: unknown) => typeof value === "boolean";

/** Each setting: what it must be, said to the user, and the check. */
const CHECKS: Record<keyof Settings, [string, (value: unknown) => boolean]> = {
  concurrency: ["a whole number of at least 1", (value) => Number.isInteger(value) && (value as number) >= 1],
  parallel: ["true or false", isBoolean],
  keepGoing: ["true or false", isBoolean],
  failFast: ["true or false", isBoolean],
  output: [`one of ${OUTPUT_MODES.join(", ")}`, (value) => (OUTPUT_MODES as readonly unknown[]).includes(value)],
  grace: ["a number of seconds, 0 or more", (value) => typeof value === "number" && value >= 0],
  redis: ["a redis:// or rediss:// URL", (value) => typeof value === "string" && /^rediss?:\/\//.test(value)],
};

/** Marks a settings file that is code: mity compiles and runs it itself, after the search (cosmiconfig's TypeScript loader costs half a second). */
const CODE = Symbol("settings code");
const runLater: LoaderSync = (filepath) => ({ [CODE]: filepath });

/** JSON.parse, with the file named when it fails. */
const readJson: LoaderSync = (filepath, content) => {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    throw new MityError(`not valid JSON: ${(error as Error).message}`, { file: filepath });
  }
};

/**
 * The settings for the project whose root mityfile is in `dir`: the first settings file there (see
 * SETTINGS_PLACES; package.json counts when it has a "mity" key), else the person's own in
 * `$XDG_CONFIG_HOME/mity/` or `~/.config/mity/` (config, config.json, config.yaml, config.js...).
 * Undefined when there is none. A file that cannot be read, or holds an unknown key or a value of the
 * wrong type, is an error naming the file and the key.
 */
export async function loadSettings(dir: string): Promise<FoundSettings | undefined> {
  let result: CosmiconfigResult;
  try {
    result = settingsSearch(dir).search(dir);
  } catch (error) {
    if (error instanceof MityError) throw error;
    const file = (error as { filepath?: string }).filepath;
    throw new MityError(`cannot read the settings: ${(error as Error).message}`, file === undefined ? {} : { file });
  }
  if (!result) return undefined;
  const code = (result.config as { [CODE]?: string } | null)?.[CODE];
  const raw = code === undefined ? result.config : (await (await import("./load.js")).importMityfile(code)).config;
  return { file: result.filepath, settings: checkSettings(raw, result.filepath) };
}

/** A search of `dir` then of the person's settings folder, with loaders that never load YAML or code unless such a file is there. */
function settingsSearch(dir: string): PublicExplorerSync {
  const { cosmiconfigSync, defaultLoadersSync } = cosmiconfigLibrary();
  return cosmiconfigSync("mity", {
    searchPlaces: SETTINGS_PLACES,
    // YAML (and `.mityrc`, which may be YAML or JSON): cosmiconfig's loader, which requires its YAML parser only when called.
    loaders: { ".json": readJson, ".yaml": defaultLoadersSync[".yaml"]!, ".yml": defaultLoadersSync[".yml"]!, noExt: defaultLoadersSync.noExt!, ".js": runLater, ".mjs": runLater, ".cjs": runLater, ".ts": runLater, ".mts": runLater },
    searchStrategy: "global",
    // The project's folder, then the global one: not the folders between.
    stopDir: dir,
    cache: false,
  });
}

/** The settings, checked: an object of known keys with values of the right types. */
export function checkSettings(raw: unknown, file: string): Settings {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new MityError(`settings must be an object of options (${Object.keys(CHECKS).join(", ")}), not ${JSON.stringify(raw)}`, { file });
  }
  for (const [key, value] of Object.entries(raw)) {
    const check = CHECKS[key as keyof Settings];
    if (!check) throw new MityError(`not a setting (the settings are ${Object.keys(CHECKS).join(", ")}).${didYouMean(key, Object.keys(CHECKS))}`.trim(), { file, field: key });
    if (!check[1](value)) throw new MityError(`must be ${check[0]}, not ${JSON.stringify(value)}`, { file, field: key });
  }
  const settings = raw as Settings;
  if (settings.keepGoing && settings.failFast) throw new MityError("keepGoing and failFast cannot both be true", { file, field: "failFast" });
  return settings;
}
