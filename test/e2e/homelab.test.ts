import t from "tap";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { endsByTask, exits, type Test } from "../helpers/fixtures.js";
import { events, runMity } from "../helpers/mity.js";

// Each subtest works on its own copy of the example: they can run side by side.
t.jobs = 3;

const EXAMPLE = fileURLToPath(new URL("../../docs/examples/homelab", import.meta.url));
// What running the example in place would leave behind (its .gitignore): the copy starts clean.
const GENERATED = new Set([".env", ".mity", "out", ".ansible", ".terraform", "terraform.tfstate.d", ".vagrant"]);
const ansible = spawnSync("sh", ["-c", "command -v ansible-playbook"]).status === 0;

// Terraform and Vagrant stand-ins: they record who was run, where, with what, and two variables the example sets.
const FAKE = `#!/bin/sh
printf '%s\\t%s\\t%s\\t%s\\t%s\\n' "$(basename "$0")" "$(pwd -P)" "$*" "\${TF_IN_AUTOMATION-}" "\${HCLOUD_TOKEN-}" >> "$HOMELAB_CALLS"
sleep "\${FAKE_SECONDS:-0}"
`;

interface Lab {
  /** The copy of the example. */
  dir: string;
  run(args: string[], options?: { cwd?: string; env?: Record<string, string> }): ReturnType<typeof runMity>;
  /** What the stand-ins recorded: [program, directory relative to the copy, arguments, TF_IN_AUTOMATION, HCLOUD_TOKEN]. */
  calls(): string[][];
  /** Checks that nothing outside the copy was written. */
  untouched(): void;
}

/** A copy of the example beside an empty HOME and TMPDIR, with the stand-ins first on PATH. */
function lab(t: Test): Lab {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "mity-homelab-")));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const dir = join(base, "homelab");
  cpSync(EXAMPLE, dir, { recursive: true, filter: (path) => !GENERATED.has(basename(path)) });
  for (const sub of ["bin", "home", "tmp"]) mkdirSync(join(base, sub));
  for (const program of ["terraform", "vagrant"]) {
    writeFileSync(join(base, "bin", program), FAKE);
    chmodSync(join(base, "bin", program), 0o755);
  }
  const callsFile = join(base, "calls.log");
  writeFileSync(callsFile, "");
  const env = {
    PATH: `${join(base, "bin")}:${process.env.PATH ?? ""}`,
    HOME: join(base, "home"),
    XDG_CONFIG_HOME: join(base, "home", ".config"),
    TMPDIR: join(base, "tmp"),
    HOMELAB_CALLS: callsFile,
    // tap's NODE_OPTIONS preloads its process tracker into every mity started: without it each start is twice as fast.
    NODE_OPTIONS: undefined,
  };
  return {
    untouched: () => {
      t.strictSame(readdirSync(base).sort(), ["bin", "calls.log", "home", "homelab", "tmp"], "nothing new beside the example");
      t.strictSame(readdirSync(join(base, "home")), [], "nothing written to HOME");
      t.strictSame(readdirSync(join(base, "tmp")), [], "nothing left in TMPDIR");
    },
    dir,
    run: (args, options = {}) => runMity(args, { cwd: options.cwd ?? dir, env: { ...env, ...options.env }, timeoutMs: 60_000 }),
    calls: () =>
      readFileSync(callsFile, "utf8").split("\n").filter(Boolean).map((line) => {
        const [program, cwd, ...rest] = line.split("\t");
        return [program!, cwd!.slice(dir.length + 1), ...rest];
      }),
  };
}

const states = (stdout: string) => Object.fromEntries([...endsByTask(events(stdout))].map(([task, end]) => [task, end.state]));

t.test("--list shows the root group and the three namespaces", async (t) => {
  const { run, untouched } = lab(t);
  const result = await run(["--list"]);
  exits(t, result, 0);
  t.match(result.stdout, /^Tasks \(mityfile\.ts\)\n {2}check +Check all three, at the same time; change nothing \(default\)\n/);
  for (const [namespace, tasks] of [["firewall", ["lint", "check", "apply"]], ["cloud", ["init", "check", "plan", "apply"]], ["vm", ["check", "up", "provision", "destroy"]]] as const) {
    t.match(result.stdout, `\n${namespace}: (${namespace}/mityfile.ts)\n`);
    for (const task of tasks) t.match(result.stdout, new RegExp(`\\n  ${namespace}:${task} +\\S`), `${namespace}:${task}`);
  }
  t.notMatch(result.stdout, /vm:rules/, "the hidden helper task is not listed");
  untouched();
});

t.test("a bare mity runs the three checks at the same time, with real Ansible; nothing is changed", { skip: ansible ? false : "ansible-playbook is not installed" }, async (t) => {
  const { dir, run, calls, untouched } = lab(t);
  const result = await run(["--output", "json"], { env: { FAKE_SECONDS: "0.2" } });
  exits(t, result, 0);
  t.strictSame(states(result.stdout), { "firewall:lint": "ok", "firewall:check": "ok", "cloud:init": "ok", "cloud:check": "ok", "vm:check": "ok", check: "ok" });
  const list = events(result.stdout);
  const at = (task: string, event: string) => list.find((e) => e.task === task && e.event === event)!.time as number;
  t.ok(at("vm:check", "start") < at("firewall:check", "end"), "vm:check did not wait for the firewall");
  t.ok(at("cloud:init", "start") < at("firewall:lint", "end"), "cloud did not wait for the firewall");
  const lines = list.filter((e) => e.event === "output" && e.task === "firewall:check").map((e) => String(e.line));
  t.ok(lines.some((line) => line.includes("+-A INPUT -p tcp -s 192.168.56.0/24 --dport 22 -j ACCEPT")), "the check shows the lab rules as a diff");
  t.ok(lines.some((line) => /localhost +: ok=2 +changed=2 .*failed=0/.test(line)), "the Ansible recap");
  t.notOk(existsSync(join(dir, "firewall", "out")), "check mode wrote nothing");
  t.strictSame(calls().sort(), [
    ["terraform", "cloud", "fmt -check -diff", "1", ""],
    ["terraform", "cloud", "init -input=false", "1", ""],
    ["terraform", "cloud", "validate", "1", ""],
    ["vagrant", "vm", "validate", "1", ""],
  ], "Terraform and Vagrant ran in their own directories, with the root's TF_IN_AUTOMATION");
  untouched();
});

t.test("firewall:apply takes --env with choices and, answered with --yes, renders out/rules.v4", { skip: ansible ? false : "ansible-playbook is not installed" }, async (t) => {
  const { dir, run, untouched } = lab(t);
  const rules = join(dir, "firewall", "out", "rules.v4");
  const badEnv = await run(["firewall:apply", "--env", "staging", "--yes"]);
  exits(t, badEnv, 2, "an env outside the choices");
  t.match(badEnv.stderr, /--env must be one of "lab", "prod", not "staging"/);
  const noEnv = await run(["firewall:apply", "--yes"]);
  exits(t, noEnv, 2, "no env");
  t.match(noEnv.stderr, /needs --env <string> \(one of "lab", "prod"\)/);
  t.notOk(existsSync(rules), "nothing written by a refused run");
  const applied = await run(["--output", "json", "firewall:apply", "--env", "prod", "--yes"]);
  exits(t, applied, 0, "--yes");
  const text = readFileSync(rules, "utf8");
  t.match(text, /# Environment: prod\./);
  t.match(text, /-A INPUT -p udp -s 0\.0\.0\.0\/0 --dport 51820 -j ACCEPT/);
  t.match(text, /-A FORWARD -i enp2s0 -o enp1s0 -j ACCEPT/);
  t.notMatch(text, /192\.168\.56\./, "no lab rules");
  untouched();
});

t.test("cloud: the token comes from .env; plan and apply run in cloud/, one workspace per env, never at the same time", async (t) => {
  const { dir, run, calls, untouched } = lab(t);
  const missing = await run(["--output", "json", "cloud:plan"]);
  exits(t, missing, 2, "no .env yet: refused before anything runs");
  t.match(missing.stderr, `field "dotenv": ${join(dir, ".env")} does not exist`);
  t.strictSame(calls(), [], "not even terraform init ran");
  copyFileSync(join(dir, ".env.example"), join(dir, ".env"));
  writeFileSync(join(dir, ".env"), readFileSync(join(dir, ".env"), "utf8").replace("HCLOUD_TOKEN=", "HCLOUD_TOKEN=test-token"));
  const before = calls().length;
  // Both at once with -p: the shared lock keeps one workspace selection from slipping under the other's command.
  const both = await run(["--output", "json", "-p", "cloud:plan", "cloud:apply", "--env", "prod", "--yes"], { env: { FAKE_SECONDS: "0.2" } });
  exits(t, both, 0);
  const made = calls().slice(before);
  t.strictSame(made[0], ["terraform", "cloud", "init -input=false", "1", ""], "init first, once");
  const plan = [
    ["terraform", "cloud", "workspace select -or-create lab", "1", "test-token"],
    ["terraform", "cloud", "plan -input=false -var-file=env/lab.tfvars", "1", "test-token"],
  ];
  const apply = [
    ["terraform", "cloud", "workspace select -or-create prod", "1", "test-token"],
    ["terraform", "cloud", "apply -input=false -auto-approve -var-file=env/prod.tfvars", "1", "test-token"],
  ];
  t.ok([JSON.stringify([...plan, ...apply]), JSON.stringify([...apply, ...plan])].includes(JSON.stringify(made.slice(1))), "plan (lab, the default) and apply (prod) one after the other", { made });
  const noYes = await run(["--output", "json", "cloud:apply", "--env", "lab"]);
  exits(t, noYes, 2, "apply without --yes and no terminal: refused before anything runs");
  t.match(noYes.stderr, /no terminal to answer it: run with --yes/);
  t.notOk(calls().some((call) => call[2]!.startsWith("apply") && call[2]!.includes("lab.tfvars")), "no apply for lab");
  untouched();
});

t.test("cloud/ on its own: from inside it, its mityfile is the root and ../.env is still found", async (t) => {
  const { dir, run, calls, untouched } = lab(t);
  writeFileSync(join(dir, ".env"), "HCLOUD_TOKEN=from-inside\n");
  const result = await run(["--output", "json", "plan", "--env", "prod"], { cwd: join(dir, "cloud", "env") });
  exits(t, result, 0);
  t.strictSame(Object.keys(states(result.stdout)), ["init", "plan"], "its own names");
  t.strictSame(calls().map((call) => [call[1], call[2], call[4]]), [
    ["cloud", "init -input=false", ""],
    ["cloud", "workspace select -or-create prod", "from-inside"],
    ["cloud", "plan -input=false -var-file=env/prod.tfvars", "from-inside"],
  ]);
  t.strictSame(calls().map((call) => call[3]), ["", "", ""], "the team root's env does not apply to cloud/ run on its own");
  untouched();
});

t.test("vm: up renders the lab rules first (real Ansible), destroy asks", { skip: ansible ? false : "ansible-playbook is not installed" }, async (t) => {
  const { dir, run, calls, untouched } = lab(t);
  const up = await run(["--output", "json", "vm:up"]);
  exits(t, up, 0);
  t.strictSame(states(up.stdout), { "vm:rules": "ok", "vm:up": "ok" });
  t.match(readFileSync(join(dir, "firewall", "out", "rules.v4"), "utf8"), /# Environment: lab\./, "the VM's provisioning has its rules file");
  const unanswered = await run(["vm:destroy"]);
  exits(t, unanswered, 2, "destroy without --yes: refused before anything runs");
  const destroyed = await run(["vm:destroy", "-y"]);
  exits(t, destroyed, 0, "destroy -y");
  t.strictSame(calls().map((call) => call.slice(0, 3)), [["vagrant", "vm", "up"], ["vagrant", "vm", "destroy -f"]]);
  untouched();
});
