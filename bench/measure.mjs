// Runs one whole process under /usr/bin/time and says how long it took, how much memory it peaked at, and whether it failed.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const TIME = "/usr/bin/time";

/** The environment every runner gets: no colours, and nothing inherited that would change make's or mity's behaviour. */
export function cleanEnv() {
  const env = { ...process.env, NO_COLOR: "1" };
  for (const key of Object.keys(env)) {
    if (/^(MAKEFLAGS|MFLAGS|MAKELEVEL|MAKEOVERRIDES|GNUMAKEFLAGS|FORCE_COLOR|CI)$/.test(key) || key.startsWith("MITY_")) delete env[key];
  }
  return env;
}

let current;

/** Stops the process being timed (Ctrl-C of the suite), with everything it started. */
export function stopCurrent() {
  if (current?.pid) {
    try {
      process.kill(-current.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

const tail = (path, lines = 6) => {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
};

/** Runs `argv` in `cwd` with its output going to files, so the suite itself does no work while it runs. */
export function timeProcess({ argv, cwd, env, scratch, timeoutMs = 120_000 }) {
  const stdoutPath = join(scratch, "stdout.txt");
  const stderrPath = join(scratch, "stderr.txt");
  const rssPath = join(scratch, "rss.txt");
  const out = openSync(stdoutPath, "w");
  const err = openSync(stderrPath, "w");
  return new Promise((resolve) => {
    let timedOut = false;
    const start = performance.now();
    // Its own process group, so a timeout or Ctrl-C stops the runner and its children together.
    const child = spawn(TIME, ["-f", "%M", "-o", rssPath, ...argv], { cwd, env, stdio: ["ignore", out, err], detached: true });
    current = child;
    const timer = setTimeout(() => {
      timedOut = true;
      stopCurrent();
    }, timeoutMs);
    const done = (result) => {
      clearTimeout(timer);
      current = undefined;
      closeSync(out);
      closeSync(err);
      resolve({ ...result, stdout: stdoutPath, stderrTail: tail(stderrPath) || tail(stdoutPath) });
    };
    child.on("error", (error) => done({ ok: false, wall: NaN, rssKiB: NaN, code: undefined, reason: `cannot start ${TIME}: ${error.message}` }));
    child.on("exit", (code, signal) => {
      const wall = (performance.now() - start) / 1000;
      const report = tail(rssPath, 3).split("\n");
      const rssKiB = Number(report.at(-1));
      const note = report.slice(0, -1).join("; ");
      let reason;
      if (timedOut) reason = `timed out after ${timeoutMs / 1000} s`;
      else if (signal) reason = `killed by ${signal}`;
      else if (code !== 0) reason = note || `exit code ${code}`;
      done({ ok: reason === undefined, wall, rssKiB, code, reason });
    });
  });
}
