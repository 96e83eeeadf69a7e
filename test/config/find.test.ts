import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, parse } from "node:path";
import t from "tap";
import { MITYFILE_NAMES, findMityfile, globalDir, type FindOptions } from "../../lib/config/find.js";
import { MityError } from "../../lib/util/errors.js";

/** Real files under the system temp folder: inside the repository the search would find mity's own mityfile. */
function tree(t: { teardown(fn: () => void): void }, paths: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "mity-find-"));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (const path of paths) {
    const full = join(root, path);
    if (path.endsWith("/")) {
      mkdirSync(full, { recursive: true });
    } else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, "export default { tasks: {} };\n");
    }
  }
  return root;
}

async function refusal(options: FindOptions): Promise<string | undefined> {
  try {
    await findMityfile(options);
    return undefined;
  } catch (error) {
    if (error instanceof MityError) return error.describe();
    throw error;
  }
}

/** True when some directory above the temp folder holds a mityfile, which would spoil "not found" tests. */
function mityfileAboveTemp(): boolean {
  for (let dir = tmpdir(); ; dir = dirname(dir)) {
    if (MITYFILE_NAMES.some((name) => existsSync(join(dir, name)))) return true;
    if (dir === parse(dir).root) return false;
  }
}

t.test("searches upward from cwd", async (t) => {
  const root = tree(t, ["mityfile.ts", "a/b/c/"]);
  t.equal(await findMityfile({ cwd: join(root, "a/b/c") }), join(root, "mityfile.ts"));
  t.equal(await findMityfile({ cwd: root }), join(root, "mityfile.ts"), "in cwd itself");
});

t.test("the nearest mityfile wins", async (t) => {
  const root = tree(t, ["mityfile.ts", "infra/mityfile.mjs", "infra/fw/mityfile.ts", "infra/fw/modules/x/"]);
  t.equal(await findMityfile({ cwd: join(root, "infra/fw/modules/x") }), join(root, "infra/fw/mityfile.ts"));
  t.equal(await findMityfile({ cwd: join(root, "infra") }), join(root, "infra/mityfile.mjs"));
});

t.test("in one directory, .ts comes before .mts, .js and .mjs", async (t) => {
  const cases: [string[], string][] = [
    [["mityfile.mjs", "mityfile.js", "mityfile.mts", "mityfile.ts"], "mityfile.ts"],
    [["mityfile.mjs", "mityfile.js", "mityfile.mts"], "mityfile.mts"],
    [["mityfile.mjs", "mityfile.js"], "mityfile.js"],
    [["mityfile.mjs"], "mityfile.mjs"],
  ];
  for (const [files, expected] of cases) {
    const root = tree(t, files);
    t.equal(await findMityfile({ cwd: root }), join(root, expected), files.join(" "));
  }
});

t.test("an empty mityfile is still found (loading says what is wrong with it)", async (t) => {
  const root = tree(t, ["sub/"]);
  writeFileSync(join(root, "mityfile.ts"), "");
  t.equal(await findMityfile({ cwd: join(root, "sub") }), join(root, "mityfile.ts"));
});

t.test("other names are not mityfiles", async (t) => {
  const root = tree(t, ["project/Mityfile.ts", "project/mityfile.cjs", "project/.mityrc", "project/package.json", "mityfile.ts"]);
  t.equal(await findMityfile({ cwd: join(root, "project") }), join(root, "mityfile.ts"));
});

t.test("-f names a file, relative to cwd or absolute, with any name", async (t) => {
  const root = tree(t, ["mityfile.ts", "ci/build-tasks.ts", "sub/"]);
  t.equal(await findMityfile({ cwd: root, mityfile: "ci/build-tasks.ts" }), join(root, "ci/build-tasks.ts"));
  t.equal(await findMityfile({ cwd: join(root, "sub"), mityfile: "../ci/build-tasks.ts" }), join(root, "ci/build-tasks.ts"));
  t.equal(await findMityfile({ cwd: "/", mityfile: join(root, "ci/build-tasks.ts") }), join(root, "ci/build-tasks.ts"));
});

t.test("-f names a directory holding a mityfile", async (t) => {
  const root = tree(t, ["mityfile.ts", "infra/mityfile.mjs", "infra/mityfile.js", "empty/"]);
  t.equal(await findMityfile({ cwd: root, mityfile: "infra" }), join(root, "infra/mityfile.js"));
  t.equal(await findMityfile({ cwd: join(root, "infra"), mityfile: "." }), join(root, "infra/mityfile.js"));
  t.equal(
    await refusal({ cwd: root, mityfile: "empty" }),
    `no mityfile (mityfile.ts, mityfile.mts, mityfile.js, mityfile.mjs) in ${join(root, "empty")}`,
    "a directory without one does not search upward",
  );
});

t.test("-f that does not exist", async (t) => {
  const root = tree(t, ["mityfile.ts"]);
  t.equal(await refusal({ cwd: root, mityfile: "nope.ts" }), `no such mityfile: ${join(root, "nope.ts")}`);
});

t.test("-g uses $XDG_CONFIG_HOME/mity, not the project's mityfile", async (t) => {
  const root = tree(t, ["project/mityfile.ts", "xdg/mity/mityfile.ts", "home/.config/mity/mityfile.ts"]);
  const env = { XDG_CONFIG_HOME: join(root, "xdg"), HOME: join(root, "home") };
  t.equal(await findMityfile({ cwd: join(root, "project"), global: true, env }), join(root, "xdg/mity/mityfile.ts"));
});

t.test("-g with only HOME uses ~/.config/mity", async (t) => {
  const root = tree(t, ["project/mityfile.ts", "home/.config/mity/mityfile.mjs"]);
  const expected = join(root, "home/.config/mity/mityfile.mjs");
  t.equal(await findMityfile({ cwd: join(root, "project"), global: true, env: { HOME: join(root, "home") } }), expected);
  t.equal(await findMityfile({ cwd: join(root, "project"), global: true, env: { HOME: join(root, "home"), XDG_CONFIG_HOME: "" } }), expected, "an empty XDG_CONFIG_HOME counts as unset");
});

t.test("-g does not search upward from the global folder", async (t) => {
  const root = tree(t, ["xdg/mityfile.ts", "xdg/mity/"]);
  const env = { XDG_CONFIG_HOME: join(root, "xdg") };
  t.equal(
    await refusal({ cwd: root, global: true, env }),
    `no global mityfile: create ${join(root, "xdg/mity/mityfile.ts")} (for example with "mity --init -C ${join(root, "xdg/mity")}")`,
  );
  t.equal(
    await refusal({ cwd: root, global: true, env: { XDG_CONFIG_HOME: join(root, "missing") } }),
    `no global mityfile: create ${join(root, "missing/mity/mityfile.ts")} (for example with "mity --init -C ${join(root, "missing/mity")}")`,
    "a global folder that does not exist",
  );
});

t.test("globalDir: $XDG_CONFIG_HOME/mity, else $HOME/.config/mity", async (t) => {
  t.equal(globalDir({ XDG_CONFIG_HOME: "/x", HOME: "/h" }), "/x/mity");
  t.equal(globalDir({ HOME: "/h" }), "/h/.config/mity");
  t.equal(globalDir({ XDG_CONFIG_HOME: "", HOME: "/h" }), "/h/.config/mity");
});

t.test("not found: names where it looked and how to make one", { skip: mityfileAboveTemp() && "a mityfile exists above the temp folder" }, async (t) => {
  const root = tree(t, ["a/b/"]);
  t.equal(
    await refusal({ cwd: join(root, "a/b") }),
    `no mityfile found in ${join(root, "a/b")} or any directory above it. Create one with "mity --init".`,
  );
});

t.test("without -g the global mityfile is not a fallback", { skip: mityfileAboveTemp() && "a mityfile exists above the temp folder" }, async (t) => {
  const root = tree(t, ["xdg/mity/mityfile.ts", "xdg/mity/config.ts", "project/"]);
  // Set in the real environment too: a search that read it on its own must still not fall back.
  const saved = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = join(root, "xdg");
  t.teardown(() => {
    if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = saved;
  });
  t.equal(
    await refusal({ cwd: join(root, "project"), env: { XDG_CONFIG_HOME: join(root, "xdg") } }),
    `no mityfile found in ${join(root, "project")} or any directory above it. Create one with "mity --init".`,
  );
});

t.test("a directory named like a mityfile is passed over", async (t) => {
  const root = tree(t, ["mityfile.ts", "sub/mityfile.ts/", "sub/mityfile.mjs"]);
  t.equal(await findMityfile({ cwd: join(root, "sub") }), join(root, "sub/mityfile.mjs"), "the next name in the same directory");
  const upper = tree(t, ["mityfile.ts", "sub/mityfile.ts/"]);
  t.equal(await findMityfile({ cwd: join(upper, "sub") }), join(upper, "mityfile.ts"), "or the directory above");
});
