import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { collect } from "./collect.js";

/** The headless browser the report is checked in (Debian's `chromium`), or undefined when it is absent. */
export const CHROMIUM = ["chromium", "chromium-browser", "google-chrome"].find((name) => spawnSync("sh", ["-c", `command -v ${name}`]).status === 0);

/** For `t.test(..., { skip })`: why the browser tests cannot run here, or false. */
export const chromiumSkip = CHROMIUM === undefined ? "chromium is not installed (.ci/run installs it)" : false;

export interface LoadedPage {
  /** The page's DOM after it loaded, as HTML. */
  dom: string;
  /** What the page wrote to its console, and every policy violation (a blocked load is one). */
  console: string[];
}

/**
 * Loads a local file in one headless browser launch, offline (every request goes to a closed port), and
 * returns its DOM and its console. With `screenshot`, a PNG of that size is written instead of the DOM.
 */
export async function loadPage(file: string, options: { screenshot?: { path: string; width: number; height: number } } = {}): Promise<LoadedPage> {
  const profile = mkdtempSync(join(tmpdir(), "mity-chromium-"));
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--hide-scrollbars",
    `--user-data-dir=${profile}`,
    "--proxy-server=127.0.0.1:9",
    // Console messages come on stderr as INFO:CONSOLE lines.
    "--enable-logging=stderr",
    "--v=0",
    ...(options.screenshot ? [`--screenshot=${options.screenshot.path}`, `--window-size=${options.screenshot.width},${options.screenshot.height}`] : ["--dump-dom"]),
    pathToFileURL(file).href,
  ];
  const ran = await collect(CHROMIUM!, args, { timeoutMs: 90_000 }).finally(() => rmSync(profile, { recursive: true, force: true }));
  if (ran.code !== 0) throw new Error(`chromium exited with ${ran.code}:\n${ran.stderr}`);
  return { dom: ran.stdout, console: ran.stderr.split("\n").filter((line) => /:CONSOLE[(:]/.test(line)) };
}
