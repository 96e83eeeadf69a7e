import { spawnSync } from "node:child_process";
import t from "tap";
import { MITY_BIN, tempTree } from "../helpers/mity.js";

/** Runs mity in a real pseudo-terminal of the given size and returns what a person would have seen scroll by. */
function inTerminal(dir: string, args: string, env: Record<string, string> = {}) {
  const command = `stty cols 100 rows 30; ${JSON.stringify(process.execPath)} ${JSON.stringify(MITY_BIN)} ${args}`;
  const result = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, TERM: "xterm-256color", CI: "", NO_COLOR: "", FORCE_COLOR: "", HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 30_000,
  });
  const raw = result.stdout;
  const text = raw.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, "").replace(/\r/g, "\n");
  return { status: result.status, raw, text };
}

const mityfile = `export default { default: "all", tasks: {
  build: { run: "echo compiling; sleep 1" },
  test: { deps: ["build"], run: "echo testing; sleep 0.3" },
  e2e: { deps: ["build"], run: "echo broken >&2; sleep 0.2; exit 2" },
  all: { deps: ["test", "e2e"] },
} };`;

t.test("the live view in a terminal shows marks, durations, the latest line and the summary", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { status, raw, text } = inTerminal(dir, "--parallel -k");
  t.equal(status, 1);
  t.match(text, /⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/, "a spinner ran");
  t.match(text, /› compiling/, "the running task's latest line is shown");
  t.match(text, /◼ test\s+waiting/, "a task waiting for its deps looks different");
  t.match(text, /✔ build [\d.]+m?s/, "finished tasks show their duration");
  t.match(text, /✖ e2e \d+ms\s+exit code 2/, "the failed task is marked with its reason");
  t.match(text, /── output of e2e \(failed\) ──\s+broken/, "the failure's output is shown again after the view");
  t.match(text, /✖ mity: failed · 2 ok, 1 failed, 1 skipped/);
  t.match(raw, /\u001b\[3\dm/, "colours are on in a terminal");
  t.notMatch(text, /\[build\] /, "no prefixed log lines in the live view");
});

t.test("NO_COLOR turns colour off, CI=true picks prefixed lines even in a terminal", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const plain = inTerminal(dir, "build", { NO_COLOR: "1" });
  t.equal(plain.status, 0);
  t.notMatch(plain.raw, /\u001b\[3\dm/);
  const ci = inTerminal(dir, "build", { CI: "true" });
  t.match(ci.text, /\[build\] compiling/);
});

t.test("an interactive task gets the terminal, and the view comes back after it", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { default: "all", tasks: {
      before: { run: "sleep 0.2" },
      ask: { deps: ["before"], interactive: true, run: "test -t 0 && test -t 1 && echo I-HAVE-THE-TERMINAL" },
      after: { deps: ["ask"], run: "echo after; sleep 0.3" },
      all: { deps: ["after"] },
    } };`,
  });
  const { status, text } = inTerminal(dir, "");
  t.equal(status, 0, text);
  t.match(text, /I-HAVE-THE-TERMINAL/, "stdin and stdout of the interactive task are the terminal");
  t.match(text, /I-HAVE-THE-TERMINAL[^]*✔ after/, "the view resumes afterwards");
  t.match(text, /✔ mity: ok · 4 ok/);
});

t.test("quick tasks in the live view: mity exits every time (no view left waiting)", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: {
      lint: { run: "true" },
      a: { run: "true" }, b: { run: "echo hi" }, c: { deps: ["a", "b"], run: "true" },
      ask: { interactive: true, run: "true" }, after: { deps: ["ask"], run: "true" },
      gone: { run: "exit 3" }, later: { deps: ["gone"], run: "true" },
    } };`,
  });
  for (const [args, status] of [["lint", 0], ["c", 0], ["after", 0], ["later -k", 1], ["--parallel lint c", 0]] as const) {
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const result = inTerminal(dir, args);
      t.equal(result.status, status, `mity ${args} (try ${i + 1}) exits with ${status} in ${Date.now() - started} ms`);
    }
  }
});
