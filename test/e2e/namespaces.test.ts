import t from "tap";
import { existsSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";
import { exits, jsonMityfile, stackLines } from "../helpers/fixtures.js";
import { events, runMity as startMity, tempTree, type MityOptions } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

// tap's NODE_OPTIONS preloads its process tracker into every mity started: without it each start is twice as fast.
const runMity = (args: readonly string[], options: MityOptions) => startMity(args, { ...options, env: { NODE_OPTIONS: undefined, ...options.env } });

const say = 'echo "$MITY_TASK in ${PWD##*/}"';

/** A team's root mityfile including two repositories; `standalone` leaves out the dep on the root. */
const team = (standalone = false) => ({
  "mityfile.ts": jsonMityfile({
    include: { fw: "./firewall", cloud: "./cloud" },
    tasks: {
      build: { description: "Build the shared tools", run: say },
      lint: { description: "Lint everything", run: say },
      secret: { hidden: true, run: say },
    },
  }),
  "firewall/mityfile.ts": jsonMityfile({
    tasks: {
      lint: { description: "Lint the playbook", run: say },
      // "lint" is found in this file first, "build" only at the root, ":lint" is the root's.
      apply: {
        description: "Apply the rules",
        deps: standalone ? ["lint"] : ["lint", "build", ":lint"],
        params: { env: { type: "string", choices: ["lab", "prod"], required: true } },
        run: 'echo "apply $MITY_PARAM_ENV in ${PWD##*/}"',
      },
      hide: { hidden: true, run: say },
    },
  }),
  "firewall/templates/.keep": "",
  "cloud/mityfile.ts": jsonMityfile({ tasks: { plan: { description: "Plan", run: say } } }),
});

const outputs = (stdout: string) => events(stdout).filter((e) => e.event === "output").map((e) => String(e.line));

t.test("deps resolve in the task's own namespace first, then the root; ':x' is the root's", async (t) => {
  const dir = tempTree(t, team());
  const result = await runMity(["--output", "json", "-j", "1", "fw:apply", "--env", "prod"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(outputs(result.stdout), ["fw:lint in firewall", `build in ${basename(dir)}`, `lint in ${basename(dir)}`, "apply prod in firewall"]);
  const json = await runMity(["--list", "--json"], { cwd: dir });
  const row = (JSON.parse(json.stdout) as { name: string; deps: string[] }[]).find((task) => task.name === "fw:apply");
  t.strictSame(row?.deps, ["fw:lint", "build", "lint"], "full names of the deps");
});

t.test("--list groups tasks by namespace, each with the file it comes from", async (t) => {
  const dir = tempTree(t, team());
  const result = await runMity(["--list"], { cwd: dir });
  exits(t, result, 0);
  t.equal(
    result.stdout,
    [
      "Tasks (mityfile.ts)",
      "  build       Build the shared tools",
      "  lint        Lint everything",
      "",
      "fw: (firewall/mityfile.ts)",
      "  fw:lint     Lint the playbook",
      "  fw:apply    Apply the rules",
      "",
      "cloud: (cloud/mityfile.ts)",
      "  cloud:plan  Plan",
      "",
    ].join("\n"),
  );
  const all = await runMity(["--list", "--all"], { cwd: dir });
  t.match(all.stdout, /secret +\(hidden\)/);
  t.match(all.stdout, /fw:hide +\(hidden\)/);
});

t.test("--list fw: (or fw) lists one namespace; an unknown one is an error", async (t) => {
  const dir = tempTree(t, team());
  const one = await runMity(["--list", "fw:"], { cwd: dir });
  exits(t, one, 0);
  t.equal(one.stdout, "fw: (firewall/mityfile.ts)\n  fw:lint   Lint the playbook\n  fw:apply  Apply the rules\n");
  const bare = await runMity(["--list", "fw"], { cwd: dir });
  t.equal(bare.stdout, one.stdout, "the colon may be left out");
  const json = await runMity(["--list", "--json", "cloud:"], { cwd: dir });
  t.strictSame((JSON.parse(json.stdout) as { name: string }[]).map((row) => row.name), ["cloud:plan"]);
  const none = await runMity(["--list", "dns:"], { cwd: dir });
  exits(t, none, 2, "unknown namespace");
  t.match(none.stderr, /no namespace dns:/);
});

t.test("from inside an included directory, the nearest mityfile is the root", async (t) => {
  const dir = realpathSync(tempTree(t, team(true)));
  const inside = await runMity(["--output", "json", "apply", "--env", "lab"], { cwd: join(dir, "firewall", "templates") });
  exits(t, inside, 0);
  t.strictSame(outputs(inside.stdout), ["lint in firewall", "apply lab in firewall"], "its own names, no namespace");
  const list = await runMity(["--list"], { cwd: join(dir, "firewall") });
  t.match(list.stdout, /^Tasks \(mityfile\.ts\)\n {2}lint +Lint the playbook\n {2}apply +Apply the rules\n$/);
  const up = await runMity(["--output", "json", "-C", "..", "cloud:plan"], { cwd: join(dir, "firewall") });
  exits(t, up, 0, "-C .. reaches the team's root");
  t.strictSame(outputs(up.stdout), ["cloud:plan in cloud"]);
});

t.test("a mityfile with a dep on the root cannot be run on its own: the message says so", async (t) => {
  const dir = tempTree(t, team());
  const result = await runMity(["apply", "--env", "lab"], { cwd: join(dir, "firewall") });
  exits(t, result, 2);
  t.match(result.stderr, /task "apply", field "deps": depends on "build", which does not exist/);
});

t.test("an include pointing nowhere: exit 2, naming the file, the namespace and the path; nothing ran", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": jsonMityfile({ include: { fw: "./firewal" }, tasks: { build: { run: "touch ran" } } }),
    "firewall/mityfile.ts": jsonMityfile({ tasks: { apply: { run: "true" } } }),
    "empty/.keep": "",
  });
  const result = await runMity(["build"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, `${join(dir, "mityfile.ts")}: field "include.fw": points to ${join(dir, "firewal")}, which does not exist`);
  t.strictSame(stackLines(result.stderr), []);
  t.notOk(existsSync(join(dir, "ran")));
  const list = await runMity(["--list"], { cwd: dir });
  exits(t, list, 2, "--list too");
  const empty = tempTree(t, { "mityfile.ts": jsonMityfile({ include: { e: "./empty" }, tasks: { build: { run: "true" } } }), "empty/.keep": "" });
  const noFile = await runMity(["build"], { cwd: empty });
  exits(t, noFile, 2, "a directory without a mityfile");
  t.match(noFile.stderr, /holds no mityfile \(mityfile\.ts, /);
});

t.test("an include cycle: exit 2, the message shows the chain of files", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": jsonMityfile({ include: { fw: "./firewall" }, tasks: { build: { run: "touch ran" } } }),
    "firewall/mityfile.ts": jsonMityfile({ include: { rules: "./rules" }, tasks: { apply: { run: "true" } } }),
    "firewall/rules/mityfile.ts": jsonMityfile({ include: { back: "../../firewall" }, tasks: { check: { run: "true" } } }),
  });
  const result = await runMity(["build"], { cwd: dir });
  exits(t, result, 2);
  const fw = join(dir, "firewall", "mityfile.ts");
  const rules = join(dir, "firewall", "rules", "mityfile.ts");
  t.ok(result.stderr.includes(`include cycle: ${join(dir, "mityfile.ts")} -> ${fw} -> ${rules} -> ${fw}`), "the whole chain", { stderr: result.stderr });
  t.match(result.stderr, /field "include\.back"/, "names the include that closes the cycle");
  t.notOk(existsSync(join(dir, "ran")));
});

t.test("two includes cannot produce the same full name: ':' is refused in task and namespace names", async (t) => {
  // The only ways to collide with fw:apply would be a root task "fw:apply" or a namespace "fw:..." nested by hand.
  const colon = tempTree(t, {
    "mityfile.ts": jsonMityfile({ include: { fw: "./firewall" }, tasks: { "fw:apply": { run: "touch ran" } } }),
    "firewall/mityfile.ts": jsonMityfile({ tasks: { apply: { run: "touch ran" } } }),
  });
  const task = await runMity(["fw:apply"], { cwd: colon });
  exits(t, task, 2, "a task name with ':'");
  t.match(task.stderr, /task "fw:apply": is not a valid task name/);
  const nested = tempTree(t, {
    "mityfile.ts": jsonMityfile({ include: { fw: "./firewall", "fw:rules": "./other" }, tasks: {} }),
    "firewall/mityfile.ts": jsonMityfile({ include: { rules: "./rules" }, tasks: {} }),
    "firewall/rules/mityfile.ts": jsonMityfile({ tasks: { check: { run: "true" } } }),
    "other/mityfile.ts": jsonMityfile({ tasks: { check: { run: "true" } } }),
  });
  const namespace = await runMity(["--list"], { cwd: nested });
  exits(t, namespace, 2, "a namespace with ':'");
  t.match(namespace.stderr, /field "include\.fw:rules": "fw:rules" is not a valid namespace/);
  // One directory included twice gives two namespaces, not a clash.
  const twice = tempTree(t, {
    "mityfile.ts": jsonMityfile({ include: { lab: "./router", prod: "./router" }, tasks: {} }),
    "router/mityfile.ts": jsonMityfile({ tasks: { apply: { run: say } } }),
  });
  const both = await runMity(["--output", "json", "lab:apply", "prod:apply"], { cwd: twice });
  exits(t, both, 0, "the same directory under two names");
  t.strictSame(outputs(both.stdout), ["lab:apply in router", "prod:apply in router"]);
});

t.test("the global mityfile (-g) is used from anywhere, instead of the nearest one", async (t) => {
  const dir = realpathSync(tempTree(t, {
    ...team(),
    ".home/.config/mity/mityfile.ts": jsonMityfile({ tasks: { hello: { description: "Mine", run: 'echo "hello from ${PWD##*/}"' } } }),
  }));
  // The helper puts HOME under the cwd; here it stays at the top while mity starts in firewall/.
  const home = { HOME: join(dir, ".home"), XDG_CONFIG_HOME: join(dir, ".home", ".config") };
  const result = await runMity(["-g", "--output", "json", "hello"], { cwd: join(dir, "firewall"), env: home });
  exits(t, result, 0);
  t.strictSame(outputs(result.stdout), ["hello from mity"], "it runs in the global mityfile's directory");
  const list = await runMity(["-g", "--list"], { cwd: dir, env: home });
  t.match(list.stdout, /hello +Mine/);
  t.notMatch(list.stdout, /fw:/);
});
