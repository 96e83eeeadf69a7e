import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

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
export function loadPage(file: string, options: { screenshot?: { path: string; width: number; height: number } } = {}): Promise<LoadedPage> {
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
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM!, args, { stdio: ["ignore", "pipe", "pipe"] });
    let dom = "";
    let log = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (dom += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`chromium exited with ${code}:\n${log}`));
      resolve({ dom, console: log.split("\n").filter((line) => /:CONSOLE[(:]/.test(line)) });
    });
  });
}
