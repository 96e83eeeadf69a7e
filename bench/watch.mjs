// node bench/watch.mjs [files]: what watch mode costs. (1) The watcher alone on a tree of `files` files
// (default 50,000) in 500 folders: how long it takes to be ready, how many files and folders it
// watches, the inotify watches it holds and the memory it adds. (2) mity --watch on a small project:
// the time from a save to the start of the rerun, 20 times, median and spread. Needs `npm run build`.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = Number(process.argv[2] ?? 50_000);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** inotify watches this process holds, from /proc (Linux). */
function inotifyWatches() {
  let count = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) !== "anon_inode:inotify") continue;
      count += readFileSync(`/proc/self/fdinfo/${fd}`, "utf8").split("\n").filter((line) => line.startsWith("inotify wd:")).length;
    } catch {}
  }
  return count;
}

async function watcherCost() {
  const dir = mkdtempSync(join(tmpdir(), "mity-watch-bench-"));
  const perFolder = 100;
  for (let i = 0; i < files; i++) {
    const folder = join(dir, "src", `d${Math.floor(i / perFolder)}`);
    if (i % perFolder === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `f${i}.ts`), "x");
  }
  const { watchTargets } = await import(join(root, "dist/watch/targets.js"));
  const { openWatcher } = await import(join(root, "dist/watch/watcher.js"));
  const task = { name: "build", cwd: dir, file: join(dir, "mityfile.ts"), inputs: ["src/**/*.ts"], outputs: [], deps: [] };
  const targets = watchTargets({ file: task.file, root: dir, tasks: new Map([["build", task]]) }, [task]);
  globalThis.gc?.();
  const before = process.memoryUsage();
  const started = performance.now();
  const watcher = await openWatcher(targets, () => {}, (error) => console.error(error));
  const readyMs = performance.now() - started;
  globalThis.gc?.();
  const after = process.memoryUsage();
  const result = {
    files, readyMs: Math.round(readyMs), watched: watcher.count(), inotifyWatches: inotifyWatches(),
    rssMiB: +((after.rss - before.rss) / 2 ** 20).toFixed(1), heapMiB: +((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(1),
  };
  await watcher.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

async function saveToRerun(rounds = 20) {
  const dir = mkdtempSync(join(tmpdir(), "mity-watch-bench-"));
  writeFileSync(join(dir, "mityfile.ts"), `export default { tasks: { build: { inputs: ["src/**/*.ts"], run: "true" } } };`);
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/a.ts"), "0");
  const child = spawn(process.execPath, [join(root, "bin/mity.js"), "--watch", "build", "--output", "json"], { cwd: dir, stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, NO_COLOR: "1" } });
  let buffer = "";
  // Every event with the time it came, read in order: several may come in one chunk.
  const seen = [];
  let wake = () => {};
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf("\n")) !== -1) {
      seen.push({ event: JSON.parse(buffer.slice(0, newline)), at: performance.now() });
      buffer = buffer.slice(newline + 1);
    }
    wake();
  });
  const next = async (name) => {
    for (;;) {
      while (seen.length > 0) {
        const { event, at } = seen.shift();
        if (event.event === name) return at;
      }
      await new Promise((resolve) => (wake = resolve));
    }
  };
  await next("summary");
  const samples = [];
  for (let i = 1; i <= rounds; i++) {
    const saved = performance.now();
    writeFileSync(join(dir, "src/a.ts"), String(i));
    samples.push((await next("start")) - saved);
    await next("summary");
  }
  child.kill("SIGINT");
  rmSync(dir, { recursive: true, force: true });
  return { rounds, medianMs: Math.round(median(samples)), minMs: Math.round(Math.min(...samples)), maxMs: Math.round(Math.max(...samples)) };
}

console.log("watcher on a tree:", JSON.stringify(await watcherCost()));
console.log("save to rerun start (debounce 100 ms included):", JSON.stringify(await saveToRerun()));
