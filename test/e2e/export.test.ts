import t from "tap";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { exits, jsonMityfile, type Test } from "../helpers/fixtures.js";
import { runMity, tempTree } from "../helpers/mity.js";
import { workflowProblems, jobsOf } from "../team/workflow-check.js";

t.jobs = 3;

const EXAMPLE = fileURLToPath(new URL("../../docs/examples/homelab", import.meta.url));
const GENERATED = new Set([".env", ".mity", "out", ".ansible", ".terraform", "terraform.tfstate.d", ".vagrant"]);

/** A copy of the home-lab example as the top of a git repository of its own. */
function homelab(t: Test): string {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "mity-export-")));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const dir = join(base, "homelab");
  cpSync(EXAMPLE, dir, { recursive: true, filter: (path) => !GENERATED.has(basename(path)) });
  spawnSync("git", ["init", "-q", dir]);
  return dir;
}

t.test("the home-lab example's default task exports to a workflow GitHub's parser accepts", async (t) => {
  const dir = homelab(t);
  const result = await runMity(["--export", "github-actions"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(await workflowProblems(result.stdout), []);
  const jobs = await jobsOf(result.stdout);
  // `check` is a group: it is no job; its deps are, with their own deps as needs.
  t.strictSame(jobs, {
    "firewall-lint": [],
    "firewall-check": ["firewall-lint"],
    "cloud-init": [],
    "cloud-check": ["cloud-init"],
    "vm-check": [],
  });
  t.match(result.stdout, /run: \|-\n {10}set --\n {10}if \[ -n "\$MITY_INPUT_FIREWALL_CHECK_ENV" \]; then set -- "\$@" --env "\$MITY_INPUT_FIREWALL_CHECK_ENV"; fi\n {10}npx --yes mity@[^ ]+ firewall:check --no-deps "\$@"\n/);
  t.match(result.stdout, /firewall-check-env:\n\s+description: "Which vars\/<env>.yml to use"\n\s+required: false\n\s+type: "choice"\n\s+options:\n\s+- "lab"\n\s+- "prod"\n\s+default: "lab"/);
  // Neither a syntax check nor `terraform init` declares outputs: the workflow says nothing reaches the next job.
  t.strictSame(result.stderr.split("\n").filter(Boolean).map((line) => /^mity: warning: ([^:]+:[^:]+): declares no outputs, so the files it writes do not reach the job of (\S+) /.exec(line)?.slice(1)), [
    ["firewall:lint", "firewall:check"],
    ["cloud:init", "cloud:check"],
  ]);
  // docs/ci-export.md shows this workflow: it must be what mity writes (mity's version aside).
  const docs = readFileSync(fileURLToPath(new URL("../../docs/ci-export.md", import.meta.url)), "utf8");
  const shown = /```yaml\n([\s\S]*?)```/.exec(docs.slice(docs.indexOf("## The home-lab example")))?.[1];
  t.equal(shown?.replace(/mity@[^ ]+/g, "mity@x"), result.stdout.replace(/mity@[^ ]+/g, "mity@x"), "docs/ci-export.md shows the export as it is");
});

t.test("tasks that ask, lock, read .env files or need a value export with comments and warnings", async (t) => {
  const dir = homelab(t);
  const result = await runMity(["--export", "github-actions", "cloud:apply", "vm:destroy", "firewall:apply"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(await workflowProblems(result.stdout), []);
  t.strictSame(await jobsOf(result.stdout), { "cloud-init": [], "cloud-apply": ["cloud-init"], "vm-destroy": [], "firewall-lint": [], "firewall-apply": ["firewall-lint"] });
  t.match(result.stdout, /# cloud:apply: asks to confirm: runs only when started by hand, with --yes\n/);
  t.match(result.stdout, /# cloud:apply: lock "tfstate" does not hold between jobs/);
  t.match(result.stdout, /# cloud:apply: reads \.env, which is seldom committed/);
  t.match(result.stdout, /# firewall:apply: param --env is required and has no default/);
  t.match(result.stdout, /cloud-apply:\n(?:.*\n)*?\s+if: "github.event_name == 'workflow_dispatch'"/);
  t.match(result.stdout, /cloud:apply --no-deps --yes/);
  t.match(result.stderr, /^mity: warning: cloud:apply: asks to confirm/m);
  t.match(result.stderr, /^mity: warning: firewall:apply: param --env is required/m);
});

t.test("job ids are made valid, groups fold into needs, timeouts become minutes, a lock file means npm ci", async (t) => {
  const dir = tempTree(t, {
    "package-lock.json": "{}",
    "mityfile.ts": jsonMityfile({
      tasks: {
        "1st.step": { run: "true", timeout: "90s" },
        "lib-x": { run: "true" },
        all: { deps: ["1st.step", "lib-x"] },
        ship: { deps: ["all"], run: "true", params: { loud: { type: "boolean", default: false }, tag: { type: "string", default: "it's \"v1\"" } } },
      },
    }),
  });
  const result = await runMity(["--export", "github-actions", "ship"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(await workflowProblems(result.stdout), []);
  t.strictSame(await jobsOf(result.stdout), { "_1st_step": [], "lib-x": [], ship: ["_1st_step", "lib-x"] });
  t.match(result.stdout, /timeout-minutes: 2\n/);
  t.match(result.stdout, /- run: "npm ci"\n/);
  t.match(result.stdout, /npx mity ship --no-deps/);
  t.match(result.stdout, /default: "it's \\"v1\\""/);
});

t.test("a bad ci field names the file and field (exit 2)", async (t) => {
  const cases: [unknown, RegExp][] = [
    [{ runsOn: { bastion: "self-hosted" } }, /field "ci\.runsOn\.bastion": must be a non-empty list of runner labels/],
    [{ runOn: {} }, /field "ci\.runOn": unknown field "runOn" \(fields: runsOn\)/],
    [[], /field "ci": must be an object/],
  ];
  for (const [ci, message] of cases) {
    const dir = tempTree(t, { "mityfile.ts": jsonMityfile({ ci, tasks: { a: { run: "true" } } }) });
    const result = await runMity(["--export", "github-actions"], { cwd: dir });
    exits(t, result, 2);
    t.match(result.stderr, message, JSON.stringify(ci));
  }
});

t.test("a build's outputs reach the test job as an artifact, from a mityfile below the repository's top", async (t) => {
  const top = tempTree(t, {
    "app/mityfile.ts": jsonMityfile({
      tasks: {
        build: { outputs: ["dist/**"], run: "mkdir -p dist && echo ok > dist/app.js" },
        lint: { run: "true" },
        test: { deps: ["build", "lint"], run: "test -f dist/app.js" },
      },
    }),
  });
  spawnSync("git", ["init", "-q", top]);
  const result = await runMity(["--export", "github-actions", "test"], { cwd: join(top, "app") });
  exits(t, result, 0);
  t.strictSame(await workflowProblems(result.stdout), []);
  t.strictSame(await jobsOf(result.stdout), { build: [], lint: [], test: ["build", "lint"] });
  // Artifact steps read paths from the repository's top, not from `working-directory`.
  t.match(result.stdout, /      - name: "upload the outputs of build"\n        uses: "actions\/upload-artifact@v4"\n        with:\n          name: "build"\n          path: "app\/dist\/\*\*"\n          if-no-files-found: "error"\n          retention-days: \d+\n/);
  t.match(result.stdout, /      - name: "download the outputs of build"\n        uses: "actions\/download-artifact@v4"\n        with:\n          name: "build"\n          path: "app\/dist"\n      - name: "test"\n        run: "npx --yes mity@[^ ]+ test --no-deps"\n/);
  t.equal(result.stdout.match(/download-artifact/g)?.length, 1);
  t.equal(result.stderr, 'mity: warning: lint: declares no outputs, so the files it writes do not reach the job of test (each job starts on a fresh runner): declare them in "outputs" to hand them on\n');
  t.match(result.stdout, /\n  # lint: declares no outputs, so the files it writes do not reach the job of test/);
});
