import t from "tap";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { exits, jsonMityfile, stackLines } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

// Each subtest has its own temp directory and spawns its own mity: they can run side by side.
t.jobs = 3;

/** A task that prints which mityfile declared it and where it runs. */
const where = (label: string) => ({ run: `echo ${label} $(pwd)` });

/** The output lines of a JSON run. */
const lines = (stdout: string) => events(stdout).filter((e) => e.event === "output").map((e) => e.line);

t.test("upward search from a subdirectory; the task runs in the mityfile's directory", async (t) => {
  const dir = realpathSync(tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { here: where("root") } }), "a/b/c/.keep": "" }));
  const result = await runMity(["--output", "json", "here"], { cwd: join(dir, "a", "b", "c") });
  exits(t, result, 0);
  t.strictSame(lines(result.stdout), [`root ${dir}`]);
});

t.test("the nearest mityfile wins", async (t) => {
  const dir = realpathSync(tempTree(t, {
    "mityfile.ts": jsonMityfile({ include: { sub: "./sub" }, tasks: { here: where("root") } }),
    "sub/mityfile.ts": jsonMityfile({ tasks: { here: where("sub") } }),
    "sub/deep/.keep": "",
  }));
  const result = await runMity(["--output", "json", "here"], { cwd: join(dir, "sub", "deep") });
  exits(t, result, 0);
  t.strictSame(lines(result.stdout), [`sub ${join(dir, "sub")}`]);
  const fromRoot = await runMity(["--output", "json", "sub:here", "here"], { cwd: dir });
  exits(t, fromRoot, 0, "the same task from the root, through the include");
  t.strictSame(lines(fromRoot.stdout), [`sub ${join(dir, "sub")}`, `root ${dir}`]);
});

t.test("the other mityfile names are found: .mts, .js, .mjs", async (t) => {
  for (const name of ["mityfile.mts", "mityfile.js", "mityfile.mjs"]) {
    const dir = realpathSync(tempTree(t, { [name]: jsonMityfile({ tasks: { here: where(name) } }), "x/.keep": "" }));
    const result = await runMity(["--output", "json", "here"], { cwd: join(dir, "x") });
    exits(t, result, 0, name);
    t.strictSame(lines(result.stdout), [`${name} ${dir}`]);
  }
});

t.test("-f path uses that file, whatever its name; its tasks run in its directory", async (t) => {
  const dir = realpathSync(tempTree(t, {
    "mityfile.ts": jsonMityfile({ tasks: { here: where("root") } }),
    "other/tasks.ts": jsonMityfile({ tasks: { here: where("other") } }),
    "sub/mityfile.mjs": jsonMityfile({ tasks: { here: where("sub") } }),
  }));
  const result = await runMity(["--output", "json", "-f", "other/tasks.ts", "here"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(lines(result.stdout), [`other ${join(dir, "other")}`]);
  const long = await runMity(["--output", "json", "--mityfile", join(dir, "other", "tasks.ts"), "here"], { cwd: join(dir, "other") });
  exits(t, long, 0, "--mityfile with an absolute path");
  t.strictSame(lines(long.stdout), [`other ${join(dir, "other")}`]);
  const folder = await runMity(["--output", "json", "-f", "sub", "here"], { cwd: dir });
  exits(t, folder, 0, "-f with a directory");
  t.strictSame(lines(folder.stdout), [`sub ${join(dir, "sub")}`]);
  const missing = await runMity(["-f", "nope.ts", "here"], { cwd: dir });
  exits(t, missing, 2, "a missing -f file");
  t.match(missing.stderr, join(dir, "nope.ts"));
});

t.test("-C dir acts as if started there", async (t) => {
  const dir = realpathSync(tempTree(t, { "proj/mityfile.ts": jsonMityfile({ tasks: { here: where("proj") } }), "proj/src/.keep": "" }));
  const result = await runMity(["-C", "proj/src", "--output", "json", "here"], { cwd: dir });
  exits(t, result, 0);
  t.strictSame(lines(result.stdout), [`proj ${join(dir, "proj")}`]);
  const bad = await runMity(["-C", "nowhere", "here"], { cwd: dir });
  exits(t, bad, 2, "-C to a missing directory");
  t.match(bad.stderr, "nowhere");
});

t.test("-g uses $XDG_CONFIG_HOME/mity/mityfile.ts, else ~/.config/mity", async (t) => {
  const dir = realpathSync(tempTree(t, {
    "mityfile.ts": jsonMityfile({ tasks: { here: where("project") } }),
    "config/mity/mityfile.ts": jsonMityfile({ tasks: { here: where("global") } }),
    "home/.config/mity/mityfile.ts": jsonMityfile({ tasks: { here: where("home") } }),
  }));
  const xdg = await runMity(["-g", "--output", "json", "here"], { cwd: dir, env: { XDG_CONFIG_HOME: join(dir, "config") } });
  exits(t, xdg, 0, "XDG_CONFIG_HOME");
  t.strictSame(lines(xdg.stdout), [`global ${join(dir, "config", "mity")}`]);
  const home = await runMity(["--global", "--output", "json", "here"], { cwd: dir, env: { XDG_CONFIG_HOME: undefined, HOME: join(dir, "home") } });
  exits(t, home, 0, "HOME");
  t.strictSame(lines(home.stdout), [`home ${join(dir, "home", ".config", "mity")}`]);
  const none = await runMity(["-g", "here"], { cwd: dir, env: { XDG_CONFIG_HOME: join(dir, "empty") } });
  exits(t, none, 2, "no global mityfile");
  t.match(none.stderr, join(dir, "empty", "mity"));
});

t.test("no mityfile: exit 2 and a message naming where it looked", async (t) => {
  const dir = realpathSync(tempTree(t, { "a/.keep": "" }));
  const result = await runMity(["build"], { cwd: join(dir, "a"), env: { XDG_CONFIG_HOME: join(dir, "config") } });
  exits(t, result, 2);
  t.match(result.stderr, /no mityfile/i);
  t.match(result.stderr, join(dir, "a"));
  t.match(result.stderr, /--init/, "says how to make one");
  t.strictSame(stackLines(result.stderr), []);
  t.equal(result.stdout, "");
});

t.test("no mityfile, but a global one exists: the global one is not used without -g", async (t) => {
  const dir = realpathSync(tempTree(t, { "config/mity/mityfile.ts": jsonMityfile({ tasks: { here: where("global") } }), "a/.keep": "" }));
  const result = await runMity(["here"], { cwd: join(dir, "a"), env: { XDG_CONFIG_HOME: join(dir, "config") } });
  exits(t, result, 2);
  t.match(result.stderr, /no mityfile/i);
});

t.test("the person's settings folder ends the search, and its settings files are not taken for a mityfile", async (t) => {
  const dir = realpathSync(tempTree(t, { "config/mity/config.json": '{ "output": "json" }', "config/mity/config": "output: json\n", "a/.keep": "" }));
  const result = await runMity(["here"], { cwd: join(dir, "a"), env: { XDG_CONFIG_HOME: join(dir, "config") } });
  exits(t, result, 2);
  t.match(result.stderr, /no mityfile found in/);
});

t.test("an empty mityfile is found and reported, not passed over for one further up", async (t) => {
  const dir = realpathSync(tempTree(t, { "mityfile.ts": jsonMityfile({ tasks: { here: where("root") } }), "sub/mityfile.ts": "" }));
  const result = await runMity(["here"], { cwd: join(dir, "sub") });
  exits(t, result, 2);
  t.match(result.stderr, `${join(dir, "sub", "mityfile.ts")}: has no default export`);
});

t.test("a mityfile named by -f that is empty is reported the same way", async (t) => {
  const dir = realpathSync(tempTree(t, { "tasks.ts": "" }));
  const result = await runMity(["-f", "tasks.ts", "here"], { cwd: dir });
  exits(t, result, 2);
  t.match(result.stderr, `${join(dir, "tasks.ts")}: has no default export`);
});

/** A stand-in for another install of mity in `folder`: it says `name`, with the words it was given. */
const otherMity = (folder: string, name: string) => ({
  [`${folder}/node_modules/mity/package.json`]: '{ "name": "mity", "version": "9.9.9" }\n',
  [`${folder}/node_modules/mity/dist/cli.js`]: "",
  [`${folder}/node_modules/mity/bin/mity.js`]: `console.log(${JSON.stringify(`${name}:`)}, process.argv.slice(2).join(" "));\n`,
});

t.test("a project's own mity in node_modules takes over, wherever -C and -f put the project", async (t) => {
  const dir = realpathSync(tempTree(t, {
    "project/mityfile.ts": jsonMityfile({ tasks: { here: where("global") } }),
    ...otherMity("project", "local mity"),
    "elsewhere/.keep": "",
  }));
  const project = join(dir, "project");
  const elsewhere = join(dir, "elsewhere");
  t.equal((await runMity(["here"], { cwd: project })).stdout, "local mity: here\n", "started in the project");
  t.equal((await runMity(["-C", project, "here"], { cwd: elsewhere })).stdout, `local mity: -C ${project} here\n`, "-C");
  t.equal((await runMity(["-f", "mityfile.ts", "-C", project, "here"], { cwd: elsewhere })).stdout, `local mity: -f mityfile.ts -C ${project} here\n`, "-f relative to -C, in either order");
  const ignored = await runMity(["--output", "json", "here"], { cwd: project, env: { MITY_IGNORE_LOCAL: "1" } });
  exits(t, ignored, 0);
  t.strictSame(lines(ignored.stdout), [`global ${project}`], "MITY_IGNORE_LOCAL keeps this mity");
});

t.test("with -g, the mity beside your own mityfile takes over, not the one of the folder you are in", async (t) => {
  const dir = realpathSync(tempTree(t, {
    "config/mity/mityfile.ts": jsonMityfile({ tasks: { here: where("global") } }),
    ...otherMity("config/mity", "mity of your own folder"),
    "project/mityfile.ts": jsonMityfile({ tasks: { here: where("project") } }),
    ...otherMity("project", "mity of the project"),
  }));
  const env = { XDG_CONFIG_HOME: join(dir, "config") };
  t.equal((await runMity(["-g", "here"], { cwd: join(dir, "project"), env })).stdout, "mity of your own folder: -g here\n");
  t.equal((await runMity(["here"], { cwd: join(dir, "project"), env })).stdout, "mity of the project: here\n", "without -g, the project's");
});
