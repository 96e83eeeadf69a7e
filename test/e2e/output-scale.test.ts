import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { MITY_BIN, tempTree } from "../helpers/mity.js";

/** Runs a shell pipeline in which `mity` is this build's command line, with the tests' clean environment. */
function shell(command: string, cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = join(cwd, ".home");
  const clean: Record<string, string | undefined> = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), NO_COLOR: "1", CI: undefined, GITHUB_ACTIONS: undefined, NODE_OPTIONS: undefined, ...env };
  for (const key of Object.keys(clean)) if (clean[key] === undefined) delete clean[key];
  const script = `mity() { "${process.execPath}" "${MITY_BIN}" "$@"; }\n${command}`;
  return new Promise((resolve) => {
    execFile("/bin/sh", ["-c", script], { cwd, env: clean, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, stdout, stderr });
    });
  });
}

t.test("--output raw passes bytes through untouched: CRLF, long lines, binary data, no last newline", async (t) => {
  const data = Buffer.concat([randomBytes(200 * 1024), Buffer.from("dos line\r\n"), Buffer.alloc(150 * 1024, "x"), Buffer.from("\nno newline at the end")]);
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { cat: { run: "cat data.bin; printf 'err\\\\r\\\\n' >&2" }, tar: { run: "tar czf - data.bin" } } };` });
  writeFileSync(join(dir, "data.bin"), data);
  const result = await shell("mity cat --output raw > out.bin 2> err.txt && cmp data.bin out.bin", dir);
  t.equal(result.code, 0, result.stdout + result.stderr);
  t.ok(readFileSync(join(dir, "out.bin")).equals(data), "the same bytes");
  t.match(readFileSync(join(dir, "err.txt"), "utf8"), /^err\r\n/, "stderr too");
  const tar = await shell("mity tar --output raw | tar tzf -", dir);
  t.equal(tar.code, 0, tar.stderr);
  t.equal(tar.stdout, "data.bin\n", "a tar archive comes out as one");
});

t.test("a full stdout stops the run: one line on stderr, exit code 1, nothing left running", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { hello: { run: "echo hello; sleep 3; touch late" } } };` });
  const result = await shell("mity hello > /dev/full", dir);
  t.equal(result.code, 1);
  t.match(result.stderr, /^mity: cannot write to stdout \(ENOSPC\): stopping the run$/m);
  t.notMatch(result.stderr, /\n\s+at |Error:/, "no stack trace");
  await new Promise((resolve) => setTimeout(resolve, 4000));
  t.notOk(existsSync(join(dir, "late")), "the task was stopped");
});

t.test("a reader that goes away (| head -1) stops the run cleanly", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { many: { run: "seq 1000000; touch late" } } };` });
  const result = await shell("mity many --output raw | head -1", dir);
  t.equal(result.stdout, "1\n");
  t.match(result.stderr, /^mity: cannot write to stdout \(EPIPE\): stopping the run$/m);
  t.notMatch(result.stderr, /\n\s+at |Error:/, "no stack trace");
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.notOk(existsSync(join(dir, "late")), "the task was stopped");
});

t.test("memory stays bounded when many tasks print a lot and succeed", async (t) => {
  // 40 tasks of 1.1 MB each: keeping 1 MiB of every task that ended well ran out of a 24 MB heap.
  const dir = tempTree(t, {
    "mityfile.ts": `const tasks: Record<string, { run: string }> = {};
for (let i = 0; i < 40; i++) tasks["t" + i] = { run: "head -c 1100000 /dev/zero | tr '\\\\0' x | fold -w 1000" };
export default { tasks: { ...tasks, all: { deps: Object.keys(tasks), concurrent: true } } };`,
  });
  for (const mode of ["prefix", "grouped"]) {
    const result = await shell(`mity all -j2 --output ${mode} > /dev/null`, dir, { NODE_OPTIONS: "--max-old-space-size=24" });
    t.equal(result.code, 0, `${mode}: ${result.stderr.slice(-500)}`);
    t.match(result.stderr, /mity: ok · 41 ok/, mode);
  }
});

t.test("behind a slow reader, output waits for it and all of it arrives", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { a: { run: "seq 100000" }, b: { run: "seq 100000" }, all: { deps: ["a", "b"], concurrent: true } } };` });
  const result = await shell(`mity all --output json | (sleep 2; grep -c '"event":"output"')`, dir);
  t.equal(result.stdout.trim(), "200000");
});
