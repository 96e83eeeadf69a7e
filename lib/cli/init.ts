import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
