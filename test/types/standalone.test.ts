import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import type { Test } from "../helpers/fixtures.js";
import { tempTree, writeTreeFile } from "../helpers/mity.js";
// @ts-expect-error a build script in plain JavaScript, without types of its own
import { checkPublicTypes } from "../../scripts/public-types.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

// What users get: the package as `npm pack` makes it (dist/ as the build left it), unpacked into node_modules/mity.
const packed = tempTree(t, {});
execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", packed], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
const tarball = join(packed, readdirSync(packed).find((name) => name.endsWith(".tgz"))!);

const mityfile = `import { defineConfig, type CommandResult, type RunOptions } from "mity";

export default defineConfig({
  default: "deploy",
  secrets: ["DEPLOY_KEY"],
  tasks: {
    build: { run: "tsc -p ." },
    deploy: {
      deps: ["build"],
      params: { env: { type: "string", choices: ["lab", "prod"], required: true } },
      run: async (ctx) => {
        const result: CommandResult = await ctx.sh\`deploy \${ctx.params.env}\`;
        if (ctx.signal.aborted || result.signal === "SIGTERM") return;
        ctx.log(ctx.env.HOME ?? "");
      },
    },
  },
});

export const options: RunOptions = { env: { HOME: "/home/a" }, concurrency: 2 };
`;

/** A project with mity unpacked in node_modules and the given compiler options; returns what tsc said and its status. */
function typeCheck(t: Test, compilerOptions: Record<string, unknown>) {
  const dir = tempTree(t, { "mityfile.ts": mityfile });
  const tsconfig = {
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, ...compilerOptions },
    include: ["mityfile.ts"],
  };
  writeTreeFile(dir, "tsconfig.json", JSON.stringify(tsconfig));
  mkdirSync(join(dir, "node_modules"));
  execFileSync("tar", ["-xzf", tarball, "-C", join(dir, "node_modules")]);
  renameSync(join(dir, "node_modules", "package"), join(dir, "node_modules", "mity"));
  const result = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

t.test("a mityfile type-checks without @types/node, mity's own .d.ts files included", async (t) => {
  const { status, output } = typeCheck(t, { types: [] });
  t.equal(output, "");
  t.equal(status, 0);
});

t.test("without @types/node and without the DOM lib", async (t) => {
  const { status, output } = typeCheck(t, { types: [], lib: ["ES2022"] });
  t.equal(output, "");
  t.equal(status, 0);
});

t.test("with @types/node, whose AbortSignal merges with mity's", async (t) => {
  const { status, output } = typeCheck(t, { types: ["node"], typeRoots: [join(root, "node_modules", "@types")] });
  t.equal(output, "");
  t.equal(status, 0);
});

t.test("the build refuses public types that need @types/node, naming the file and the name", async (t) => {
  const dist = tempTree(t, {
    "index.d.ts": 'export type { Options } from "./api.js";\nexport declare function go(): void;\n',
    "api.d.ts": 'import type { Readable } from "node:stream";\nexport interface Options { env?: NodeJS.ProcessEnv; input?: Readable }\n',
    "internal.d.ts": "export type Hidden = NodeJS.Signals;\n",
  });
  t.throws(() => checkPublicTypes(dist), { message: /api\.d\.ts: from "node:stream", NodeJS\.ProcessEnv/ });
  t.throws(() => checkPublicTypes(dist), { message: /^(?![\s\S]*internal\.d\.ts)/ }, "a file the public types never import is not checked");
  t.doesNotThrow(() => checkPublicTypes(join(root, "dist")), "mity's own build passes");
});
