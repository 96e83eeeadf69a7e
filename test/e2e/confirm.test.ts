import t from "tap";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { endsByTask, exits } from "../helpers/fixtures.js";
import { events, MITY_BIN, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;


const mityfile = `export default {
  tasks: {
    apply: { confirm: "Apply to prod?", run: "touch applied; echo applied" },
    after: { deps: ["apply"], run: "touch after" },
    other: { run: "touch other" },
  },
};
`;

const states = (stdout: string) => Object.fromEntries([...endsByTask(events(stdout))].map(([task, end]) => [task, end.state]));

// The test runner sets FORCE_COLOR (a terminal user has none) and NODE_OPTIONS (see above).
const withoutColorForcing = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([key]) => key !== "FORCE_COLOR" && key !== "NODE_OPTIONS"));

/**
 * Runs mity in a real pseudo-terminal with `input` already typed (the terminal holds it until the prompt
 * reads it); returns what the terminal showed, without escape sequences.
 */
function inTerminal(dir: string, args: string, input: string, timeoutMs = 15_000) {
  const command = `stty cols 100 rows 30; ${JSON.stringify(process.execPath)} ${JSON.stringify(MITY_BIN)} ${args}`;
  const result = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd: dir,
    input,
    encoding: "utf8",
    env: { ...withoutColorForcing(process.env), TERM: "xterm-256color", CI: "", NO_COLOR: "1", HOME: dir, XDG_CONFIG_HOME: `${dir}/.config` },
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  const text = (result.stdout ?? "").replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, "").replace(/\r/g, "");
  return { status: result.status, text, timedOut: result.error !== undefined || result.signal !== null };
}

t.test("--yes and -y answer the question: the task runs without asking", async (t) => {
  for (const flag of ["--yes", "-y"]) {
    const dir = tempTree(t, { "mityfile.ts": mityfile });
    const result = await runMity(["--output", "json", "after", flag], { cwd: dir });
    exits(t, result, 0, flag);
    t.strictSame(states(result.stdout), { apply: "ok", after: "ok" }, flag);
    t.ok(existsSync(join(dir, "applied")), `${flag}: applied`);
    t.notMatch(result.stderr, /Apply to prod\?/, `${flag}: not asked`);
  }
});

t.test("no terminal and no --yes: the run stops before anything runs, saying to use --yes", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default {
  tasks: {
    init: { run: "touch init" },
    apply: { deps: ["init"], confirm: "Apply to prod?", run: "touch applied; echo applied" },
    after: { deps: ["apply"], run: "touch after" },
    other: { run: "touch other" },
  },
};
` });
  const result = await runMity(["--output", "json", "-k", "after", "other"], { cwd: dir });
  exits(t, result, 2);
  t.equal(result.stdout, "", "no event: nothing started");
  t.match(result.stderr, /task "apply", field "confirm": asks "Apply to prod\?" but there is no terminal to answer it: run with --yes/);
  for (const file of ["init", "applied", "after", "other"]) t.notOk(existsSync(join(dir, file)), `${file}: nothing ran, not even a dep`);
  const plain = await runMity(["apply"], { cwd: dir });
  exits(t, plain, 2, "default output");
  t.match(plain.stderr, /run with --yes to answer yes/);
  const dry = await runMity(["-n", "after"], { cwd: dir });
  exits(t, dry, 2, "-n says so too");
  t.match(dry.stdout + dry.stderr, /no terminal to answer it/);
  const why = await runMity(["--why", "apply"], { cwd: dir });
  exits(t, why, 2, "--why says so too");
  t.match(why.stdout + why.stderr, /no terminal to answer it/);
  exits(t, await runMity(["-n", "--yes", "after"], { cwd: dir }), 0, "-n --yes");
});

t.test("in a terminal, answering y runs the task", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { status, text } = inTerminal(dir, "apply --output prefix", "y\n");
  t.equal(status, 0, "exit 0", { text: text });
  t.match(text, /\? Apply to prod\? \(apply\) \[y\/N\] y/, "the question names the task");
  t.match(text, /\[apply\] applied/);
  t.ok(existsSync(join(dir, "applied")));
});

t.test("in a terminal, answering n (or nothing) cancels the task and skips its dependents", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const no = inTerminal(dir, "after --output prefix", "n\n");
  t.equal(no.status, 1, "exit 1", { text: no.text });
  t.match(no.text, /\? Apply to prod\? \(apply\) \[y\/N\] n/);
  t.match(no.text, /\[apply\] cancelled: declined at the confirmation prompt/);
  t.match(no.text, /skipped +after +dep "apply" was cancelled/);
  const empty = inTerminal(dir, "apply --output prefix", "\n");
  t.equal(empty.status, 1, "exit 1", { text: empty.text });
  t.match(empty.text, /declined/, "an empty answer is no");
  t.notOk(existsSync(join(dir, "applied")));
  t.notOk(existsSync(join(dir, "after")));
});

t.test("in a terminal, --yes does not ask", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { status, text } = inTerminal(dir, "apply --yes --output prefix", "");
  t.equal(status, 0, "exit 0", { text: text });
  t.notMatch(text, /Apply to prod\?/);
  t.ok(existsSync(join(dir, "applied")));
});

t.test("in the live terminal view, a task that asks after another one ran gets its answer", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `export default { tasks: { pre: { run: "sleep 0.2" }, apply: { deps: ["pre"], confirm: "Apply to prod?", run: "touch applied" } } };`,
  });
  const { status, text, timedOut } = inTerminal(dir, "apply", "y\n");
  t.notOk(timedOut, "finished");
  t.equal(status, 0, "exit 0", { text: text });
  t.ok(existsSync(join(dir, "applied")));
});

t.test("in the live terminal view, the first task asking gets its question shown and answered", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const { status, text, timedOut } = inTerminal(dir, "apply", "y\n", 4000);
  t.notOk(timedOut, "finished");
  t.match(text, /Apply to prod\?/);
  t.equal(status, 0, "exit 0", { text: text });
  t.ok(existsSync(join(dir, "applied")));
});

/** Starts mity in a real pseudo-terminal and answers `keys` once the question is on screen. */
function answerInTerminal(dir: string, args: string, keys: string): Promise<{ status: number | null; text: string }> {
  const command = `stty cols 100 rows 30; ${JSON.stringify(process.execPath)} ${JSON.stringify(MITY_BIN)} ${args}`;
  const child = spawn("script", ["-qefc", command, "/dev/null"], {
    cwd: dir,
    env: { ...withoutColorForcing(process.env), TERM: "xterm-256color", CI: "", NO_COLOR: "1", HOME: dir, XDG_CONFIG_HOME: `${dir}/.config` },
  });
  let text = "";
  let answered = false;
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
    // Typed only once the prompt reads the terminal: earlier, the terminal itself would turn Ctrl-C into SIGINT.
    if (!answered && /\[y\/N\] /.test(text)) {
      answered = true;
      child.stdin.write(keys);
    }
  });
  return new Promise((resolve) =>
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, text: text.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, "").replace(/\r/g, "") });
    }),
  );
}

t.test("in a terminal, Ctrl-C at the question interrupts the run: exit 130, not a decline", async (t) => {
  for (const args of ["after --output prefix", "after"]) {
    const dir = tempTree(t, { "mityfile.ts": mityfile });
    const { status, text } = await answerInTerminal(dir, args, "\u0003");
    t.equal(status, 130, `${args}: exit 130`, { text });
    t.notMatch(text, /declined/, `${args}: not counted as no`);
    t.notOk(existsSync(join(dir, "applied")), `${args}: apply did not run`);
    t.notOk(existsSync(join(dir, "after")), `${args}: after did not run`);
  }
});
