import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { exits } from "../helpers/fixtures.js";
import { MITY_BIN, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

const TOKEN = "hc-7f3a9b2e1d";
const DECLARED = "plain-looking-value";
const SHOWN = "shown-as-it-is";

// A token from a dotenv file, echoed, put in a failing command's text and in a function's error.
const mityfile = `export default {
  secrets: ["DEPLOY_KEY", "!PUBLIC_TOKEN_URL"],
  env: { DEPLOY_KEY: "${DECLARED}", PUBLIC_TOKEN_URL: "${SHOWN}" },
  tasks: {
    echo: { dotenv: ".env", run: ['echo "token=$HCLOUD_TOKEN key=$DEPLOY_KEY url=$PUBLIC_TOKEN_URL"', 'echo "err $HCLOUD_TOKEN" >&2'] },
    literal: { dotenv: ".env", run: "echo using ${TOKEN}; exit 3" },
    fn: { dotenv: ".env", run: (ctx) => { ctx.log("from ctx " + ctx.env.HCLOUD_TOKEN); throw new Error("rejected " + ctx.env.HCLOUD_TOKEN); } },
    all: { deps: ["echo", "literal", "fn"] },
  },
};
`;

const files = { "mityfile.ts": mityfile, ".env": `HCLOUD_TOKEN=${TOKEN}\n` };

/** Everything mity wrote: stdout, stderr and every run log file. */
function everything(dir: string, result: { stdout: string; stderr: string }): string {
  const logs = join(dir, ".mity", "logs");
  let text = result.stdout + result.stderr;
  if (!existsSync(logs)) return text;
  for (const run of readdirSync(logs)) for (const file of readdirSync(join(logs, run))) text += readFileSync(join(logs, run, file), "utf8");
  return text;
}

for (const mode of ["prefix", "grouped", "json", "raw"]) {
  t.test(`--output ${mode} -v: no secret value in the output, the summary or the run logs`, async (t) => {
    const dir = tempTree(t, files);
    const result = await runMity(["all", "-k", "-v", "--output", mode], { cwd: dir });
    exits(t, result, 1);
    const text = everything(dir, result);
    t.notMatch(text, TOKEN, "the dotenv token is hidden");
    t.notMatch(text, DECLARED, "a declared name is hidden");
    t.match(text, "token=*** key=*** url=" + SHOWN, "an opted-out name is shown");
    t.match(text, "err ***");
    t.match(text, "from ctx ***");
    if (mode !== "raw") {
      t.match(text, "exit code 3 from: echo using ***; exit 3", "the failure reason and the command line are masked");
      t.match(text, "rejected ***");
    }
  });
}

t.test("in a terminal (tty view): no secret value", async (t) => {
  const dir = tempTree(t, files);
  const command = `stty cols 120 rows 30; ${JSON.stringify(process.execPath)} ${JSON.stringify(MITY_BIN)} all -k --output tty`;
  const result = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, TERM: "xterm-256color", CI: "", NO_COLOR: "", FORCE_COLOR: "", NODE_OPTIONS: "", HOME: dir, XDG_CONFIG_HOME: `${dir}/.config` },
    timeout: 30_000,
  });
  t.equal(result.status, 1);
  const text = everything(dir, { stdout: result.stdout, stderr: result.stderr });
  t.notMatch(text, TOKEN);
  t.match(text, "***");
});

t.test("a token from the process environment is hidden too, and a short value is left alone", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { a: { run: 'echo "$GITHUB_TOKEN $MY_SECRET"' } } };` });
  const result = await runMity(["a", "--output", "prefix"], { cwd: dir, env: { GITHUB_TOKEN: "ghp_abcdef123456", MY_SECRET: "abc" } });
  exits(t, result, 0);
  t.match(result.stdout, /^\[a\] \*\*\* abc$/m);
});

t.test("a bad secrets entry names the file, task and field", async (t) => {
  const dir = tempTree(t, { "mityfile.ts": `export default { tasks: { a: { secrets: ["A=B"], run: "true" } } };` });
  const result = await runMity(["a"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, /mityfile\.ts.*task "a".*field "secrets"|secrets/);
  t.match(result.stderr, /item 0 must be a variable name/);
});
