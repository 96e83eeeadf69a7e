import { existsSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MITYFILE_NAMES } from "../config/find.js";
import { MityError } from "../util/errors.js";

const STARTER = `// The tasks of this project, run with "mity <task>". List them with "mity --list".
// Every field is described in mity's docs/mityfile.md.
import { defineConfig } from "mity";

export default defineConfig({
  // What a bare "mity" runs.
  default: "check",

  tasks: {
    // A shell command, run by /bin/sh in this directory.
    build: { description: "Build the project", run: "echo building" },

    // Several commands run one after another and stop at the first failure.
    lint: { description: "Check style", run: ["echo linting", "echo formatting"] },

    // deps run first; a task with deps and no run is a group.
    test: { description: "Run the tests", deps: ["build"], run: "echo testing" },

    // concurrent: true lets the deps run at the same time.
    check: { description: "Everything before a push", deps: ["lint", "test"], concurrent: true },

    // A function gets ctx: sh quotes each value as one argument, log prints as the task.
    hello: {
      description: "Greet someone",
      run: async ({ sh, args, log }) => {
        log(\`hello, \${args[0] ?? "world"}\`);
        await sh\`echo \${args.join(" ")}\`;
      },
    },
  },
});
`;

/** Writes a starter mityfile.ts in `dir`; refuses when a mityfile is already there. */
export function writeStarter(dir: string): string {
  const existing = MITYFILE_NAMES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (existing) throw new MityError(`${existing} already exists; --init never overwrites a mityfile`);
  const path = join(dir, "mityfile.ts");
  writeFileSync(path, STARTER, { flag: "wx" });
  return path;
}

/** This copy of mity's package folder (its dist/index.js is one folder above this module, bundled or not). */
const ownPackageDir = (): string => realpathSync(dirname(dirname(fileURLToPath(new URL("../index.js", import.meta.url)))));

/** Whether Node and editors find `mity` from `dir` on their own: a node_modules/mity there or above. */
function hasLocalMity(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, "node_modules", "mity", "package.json"))) return true;
    if (dirname(current) === current) return false;
  }
}

/** A tsconfig.json whose `paths` lets the editor and tsc find the types of a mity installed elsewhere. */
const typesConfig = (packageDir: string) =>
  `${JSON.stringify(
    {
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, paths: { mity: [packageDir] } },
      include: ["mityfile.ts"],
    },
    null,
    2,
  )}\n`;

/**
 * When the project has no mity of its own (a global install), `import ... from "mity"` has no types in
 * the editor: writes a tsconfig.json pointing at this copy, or, when the project has one, says what
 * to add. Never overwrites. Returns what to tell the user, or undefined when all is well.
 */
export function editorTypes(dir: string, packageDir = ownPackageDir()): string | undefined {
  if (hasLocalMity(dir)) return undefined;
  const existing = ["tsconfig.json", "jsconfig.json"].find((name) => existsSync(join(dir, name)));
  if (existing) {
    return `For the types of "mity" in your editor, add to "compilerOptions" of ${existing}: "paths": { "mity": [${JSON.stringify(packageDir)}] } (or install mity as a devDependency).`;
  }
  writeFileSync(join(dir, "tsconfig.json"), typesConfig(packageDir), { flag: "wx" });
  return `Wrote tsconfig.json: its "paths" gives your editor the types of "mity" from ${packageDir}.`;
}
