import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, readFile, realpath, rename, unlink, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { MityError } from "../util/errors.js";
import { hooksDir, workTreeRoot } from "./git.js";
import { CLIENT_HOOKS, checkHookNames, type HookName } from "./names.js";
import { KEPT_SUFFIX, hookScript, isMityScript } from "./script.js";

export { hooksDir, stagedFiles } from "./git.js";
export { checkHookNames, type HookName } from "./names.js";
export { MARKER } from "./script.js";

/**
 * What install did to one hook: `installed` (there was none), `updated` (an older mity script was
 * rewritten), `unchanged` (already this script), `chained` (a hook mity did not write was kept as
 * `<name>.pre-mity` and now runs first).
 */
export type InstallAction = "installed" | "updated" | "unchanged" | "chained";

export interface HookInstall {
  hook: HookName;
  /** The hook script's absolute path. */
  path: string;
  action: InstallAction;
  /** The kept hook the script runs first (`<path>.pre-mity`), when there is one. */
  kept: string | undefined;
}

export interface InstallReport {
  /** The hooks directory written to. */
  dir: string;
  hooks: HookInstall[];
}

export interface InstallOptions {
  /** Any directory inside the repository. */
  cwd: string;
  /** Client-side git hook names (e.g. the keys of the mityfile's `hooks`); unknown ones are refused. */
  hooks: readonly string[];
  /** Where the hook runs mity (the mityfile's directory), inside the work tree; default: the work tree root. */
  projectDir?: string | undefined;
}

/**
 * What uninstall did to one hook: `removed` (mity's script deleted), `restored` (and the kept hook put
 * back in its place), `foreign` (a hook mity did not write, left alone), `absent` (nothing there).
 */
export type UninstallAction = "removed" | "restored" | "foreign" | "absent";

export interface HookUninstall {
  hook: HookName;
  path: string;
  action: UninstallAction;
}

export interface UninstallReport {
  dir: string;
  hooks: HookUninstall[];
}

export interface UninstallOptions {
  cwd: string;
  /** The hooks to remove; default: every hook where mity left a script or a kept hook (the rest is not listed). */
  hooks?: readonly string[] | undefined;
}

type Found = { kind: "absent" } | { kind: "mity"; text: string; executable: boolean } | { kind: "foreign" };

/** What sits at a hook's path: nothing, one of mity's scripts, or anything else (a symlink counts as else). */
async function inspect(path: string): Promise<Found> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (!stats) return { kind: "absent" };
  if (stats.isDirectory()) throw new MityError(`${path} is a directory, not a hook: move it away and run again`, { file: path });
  if (!stats.isFile()) return { kind: "foreign" };
  const text = await readFile(path, "utf8");
  return isMityScript(text) ? { kind: "mity", text, executable: (stats.mode & 0o111) !== 0 } : { kind: "foreign" };
}

const exists = (path: string) => lstat(path).then(() => true, () => false);

/** Writes an executable file in one step: a reader (or git) never sees half of it. */
async function writeScript(path: string, text: string): Promise<void> {
  const temporary = `${path}.mity-${randomBytes(6).toString("hex")}`;
  await writeFile(temporary, text, { flag: "wx", mode: 0o755 });
  try {
    // The umask may have taken the execute bits away.
    await chmod(temporary, 0o755);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** The project directory relative to the work tree root, with `/` (the script is sh); refused outside the tree. */
async function projectPath(cwd: string, projectDir: string | undefined): Promise<string> {
  if (projectDir === undefined) return "";
  const root = await workTreeRoot(cwd);
  const dir = await realpath(resolve(cwd, projectDir)).catch(() => {
    throw new MityError(`no such directory: ${resolve(cwd, projectDir)}`);
  });
  const path = relative(root, dir);
  if (path.startsWith("..") || isAbsolute(path)) {
    throw new MityError(`${dir} is outside the git work tree ${root}: its git hooks cannot run mity there`);
  }
  return path.split(sep).join("/");
}

/**
 * Writes a mity script for each hook into the repository's hooks directory. A hook mity did not write is
 * kept as `<name>.pre-mity` and run first; if that name is already taken nothing is written and a
 * MityError says what to move. Running it again changes nothing (`unchanged`).
 */
export async function installHooks(options: InstallOptions): Promise<InstallReport> {
  const hooks = checkHookNames(options.hooks);
  const project = await projectPath(options.cwd, options.projectDir);
  const dir = await hooksDir(options.cwd);
  // Look at every hook before writing any, so a refusal leaves the directory as it was.
  const plans = [];
  for (const hook of hooks) {
    const path = join(dir, hook);
    const kept = path + KEPT_SUFFIX;
    const [found, keptExists] = await Promise.all([inspect(path), exists(kept)]);
    if (found.kind === "foreign" && keptExists) {
      throw new MityError(
        `cannot install the ${hook} hook: ${path} was not written by mity, and ${kept} (where mity would keep it) already exists. ` +
          `Move one of them away, then run again.`,
        { file: path },
      );
    }
    plans.push({ hook, path, kept, found, keptExists, text: hookScript(hook, project) });
  }
  await mkdir(dir, { recursive: true });
  const report: HookInstall[] = [];
  for (const { hook, path, kept, found, keptExists, text } of plans) {
    let action: InstallAction;
    if (found.kind === "foreign") {
      // A rename keeps the user's hook byte for byte, with its mode, for uninstall to put back.
      await rename(path, kept);
      action = "chained";
    } else if (found.kind === "mity" && found.text === text && found.executable) {
      action = "unchanged";
    } else {
      action = found.kind === "mity" ? "updated" : "installed";
    }
    if (action !== "unchanged") await writeScript(path, text);
    report.push({ hook, path, action, kept: action === "chained" || keptExists ? kept : undefined });
  }
  return { dir, hooks: report };
}

/**
 * Removes mity's hook scripts and puts back, by renaming, any hook kept as `<name>.pre-mity`: exactly the
 * file that was there before. A hook file mity did not write is left alone.
 */
export async function uninstallHooks(options: UninstallOptions): Promise<UninstallReport> {
  const named = options.hooks !== undefined;
  const hooks = named ? checkHookNames(options.hooks ?? []) : [...CLIENT_HOOKS];
  const dir = await hooksDir(options.cwd);
  const report: HookUninstall[] = [];
  for (const hook of hooks) {
    const path = join(dir, hook);
    const kept = path + KEPT_SUFFIX;
    const [found, keptExists] = await Promise.all([inspect(path), exists(kept)]);
    let action: UninstallAction;
    if (found.kind === "foreign") {
      action = "foreign";
    } else {
      if (found.kind === "mity") await unlink(path);
      if (keptExists) await rename(kept, path);
      action = keptExists ? "restored" : found.kind === "mity" ? "removed" : "absent";
    }
    // Unasked, only the hooks mity had a hand in are worth reporting.
    if (named || action === "removed" || action === "restored" || (action === "foreign" && keptExists)) {
      report.push({ hook, path, action });
    }
  }
  return { dir, hooks: report };
}
