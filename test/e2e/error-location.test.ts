import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { endsByTask, exits } from "../helpers/fixtures.js";
import { events, runMity, tempTree } from "../helpers/mity.js";

t.jobs = 3;

// Types and an interface before the throw: the compiled copy's lines are not the mityfile's.
const MITYFILE = `import { helper } from "./lib/helper.ts";

interface Deploy {
  target: string;
  retries: number;
}

const deploy: Deploy = { target: "prod", retries: 2 };

export default {
  tasks: {
    throws: {
      run: async (): Promise<void> => {
        await new Promise<void>((resolve) => setTimeout(resolve, 10));
        throw new Error(\`cannot deploy to \${deploy.target}\`);
      },
    },
    helped: { run: (): void => helper(deploy.retries) },
    sh: { run: async ({ sh }) => { await sh\`exit 3\`; } },
  },
};
`;
const HELPER = `type Count = number;

export function helper(count: Count): void {
  throw new TypeError(\`bad count \${count}\`);
}
`;

const project = (t: Parameters<typeof tempTree>[0]) => tempTree(t, { "mityfile.ts": MITYFILE, "lib/helper.ts": HELPER });

t.test("a thrown error's reason names the mityfile's own file and line, not its compiled copy", async (t) => {
  const dir = project(t);
  const result = await runMity(["--output", "json", "-k", "-p", "throws", "helped", "sh"], { cwd: dir });
  exits(t, result, 1);
  const ends = endsByTask(events(result.stdout));
  t.match(ends.get("throws"), { state: "failed", reason: "cannot deploy to prod (at mityfile.ts:15:15)" });
  t.match(ends.get("helped"), { state: "failed", reason: "bad count 2 (at lib/helper.ts:4:9)" });
  t.match(ends.get("sh"), { state: "failed", exitCode: 3, reason: "command failed with exit code 3: exit 3 (at mityfile.ts:19:42)" });
  t.match(ends.get("throws")!.stack, /^Error: cannot deploy to prod\n\s+at run \(.*mityfile\.ts:15:15\)/);
  t.notMatch(result.stdout + result.stderr, /\.mity[/\\]cache/, "no frame names the compiled copy");
});

t.test("-v shows the stack in the mityfile's lines, and the run log keeps it", async (t) => {
  const dir = project(t);
  const result = await runMity(["-v", "helped"], { cwd: dir });
  exits(t, result, 1);
  t.match(result.stderr, /TypeError: bad count 2\n\s+at helper \(.*lib[/\\]helper\.ts:4:9\)\n\s+at run \(.*mityfile\.ts:18:/);
  t.notMatch(result.stdout + result.stderr, /\.mity[/\\]cache/);
  const logs = join(dir, ".mity", "logs");
  const [run] = readdirSync(logs);
  const log = readFileSync(join(logs, run!, "helped.log"), "utf8");
  t.match(log, /TypeError: bad count 2\n\s+at helper \(.*lib[/\\]helper\.ts:4:9\)/);
});

t.test("without -v the stack is not shown, only the place", async (t) => {
  const dir = project(t);
  const result = await runMity(["throws"], { cwd: dir });
  exits(t, result, 1);
  t.match(result.stdout + result.stderr, /cannot deploy to prod \(at mityfile\.ts:15:15\)/);
  t.notMatch(result.stdout + result.stderr, /\n\s+at run/);
});
