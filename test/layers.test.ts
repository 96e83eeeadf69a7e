import t from "tap";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// The layout rules of docs/architecture.md, checked: one direction of flow between the folders of lib/,
// no import circle, and `process`, `Date.now` and `console` only at the edge.

const LIB = resolve(import.meta.dirname, "..", "lib");

/** What each layer (a folder of lib/, or a file at its top) may import besides itself. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  util: [],
  types: ["util"],
  config: ["util", "types", "graph/names", "graph/suggest", "report/choose"],
  graph: ["util", "types", "config/includes", "hooks/names"],
  hooks: ["util", "graph/suggest"],
  state: ["util", "types", "graph/graph"],
  run: ["util", "types", "graph", "state"],
  report: ["util", "types", "run/events", "run/flow"],
  history: ["util", "types", "run/events", "state/folder"],
  observe: ["util", "types", "run/events", "graph/graph"],
  team: ["util", "types", "config", "graph"],
  pool: ["util", "types", "config", "graph", "run"],
  api: ["util", "types", "config", "graph", "run", "state", "report", "pool", "history"],
  watch: ["util", "types", "graph", "state", "run/events"],
  index: ["util", "types", "api", "graph", "run"],
  cli: ["util", "types", "config", "graph", "run", "state", "report", "hooks", "api", "index", "history", "observe", "team", "watch", "pool"],
};

/** Imports that go against the table, each with why it is there. */
// None: a mityfile's `import "mity"` is served the exports the command line hands down to the loader.
const KNOWN_UPWARD: Record<string, string> = {};

/** Uses of `process`, `Date.now` and `console` inside the layers, by file: each is a fact of the running process or the clock that the unit exists to read. */
const EDGE_FREE = ["cli/", "api.ts"];
const ALLOWED_GLOBALS: Record<string, readonly string[]> = {
  "util/v8-cache.ts": ["process.env", "process.execArgv", "process.once"],
  "util/files.ts": ["process.pid"],
  "util/lock-file.ts": ["Date.now", "process.kill", "process.pid"],
  "config/find.ts": ["process.env"],
  "config/script.ts": ["process.arch", "process.version"],
  "config/load.ts": ["process.env", "process.execArgv", "process.setSourceMapsEnabled"],
  "state/pace.ts": ["Date.now"],
  "state/folder.ts": ["process.getuid"],
  "state/store.ts": ["Date.now", "process.pid"],
  "state/listing.ts": ["Date.now"],
  "run/process.ts": ["process.platform"],
  "run/command.ts": ["process.env", "process.platform"],
  "run/stop-tree.ts": ["process.kill", "process.platform"],
  "run/watchdog.ts": ["process.platform"],
  // Waiting out the grace period of what a killed worker left behind.
  "pool/leftovers.ts": ["Date.now"],
};

interface Source {
  /** Path below lib/, with `/`. */
  file: string;
  text: string;
}

function readTree(root: string, dir = root): Source[] {
  const sources: Source[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources.push(...readTree(root, path));
    else if (entry.name.endsWith(".ts")) sources.push({ file: relative(root, path).split("\\").join("/"), text: readFileSync(path, "utf8") });
  }
  return sources;
}

/** The code without comments, so a word in a comment is not taken for a use. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");

/** The code without its strings either (a message that names `process.exit()` is no use of it); a template keeps its `${}` parts. */
const bareCode = (text: string) =>
  code(text)
    .replace(/`(?:[^`\\]|\\.)*`/g, (template) => (template.match(/\$\{[^}]*\}/g) ?? []).join(" "))
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');

/** Relative imports of a file, static and dynamic, as paths below lib/ (`.js` read as `.ts`); `types` says whether only types come. */
function importsOf(source: Source): { target: string; typeOnly: boolean }[] {
  const found: { target: string; typeOnly: boolean }[] = [];
  const text = code(source.text);
  const add = (specifier: string, typeOnly: boolean) => {
    const target = join(dirname(source.file), specifier).split("\\").join("/").replace(/\.js$/, ".ts");
    found.push({ target, typeOnly });
  };
  for (const match of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']/gm)) add(match[2]!, match[1] !== undefined);
  for (const match of text.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) add(match[1]!, false);
  return found;
}

const layerOf = (file: string) => file.split("/")[0]!.replace(/\.ts$/, "");

/** Whether `target` (a path below lib/) is within one of the allowed layers or files. */
const allowed = (target: string, entries: readonly string[]) =>
  entries.some((entry) => target === `${entry}.ts` || target.startsWith(`${entry}/`) || layerOf(target) === entry);

/** Every rule broken in a tree, one line each. */
function check(sources: readonly Source[], table: Record<string, readonly string[]>, known: Record<string, string>, globals: Record<string, readonly string[]>): string[] {
  const problems: string[] = [];
  const edges = new Map<string, string[]>();
  for (const source of sources) {
    const layer = layerOf(source.file);
    const targets: string[] = [];
    for (const { target, typeOnly } of importsOf(source)) {
      if (!typeOnly) targets.push(target);
      if (layerOf(target) === layer || known[`${source.file} -> ${target}`]) continue;
      if (!table[layer]) problems.push(`${source.file}: its layer "${layer}" is not in the table`);
      else if (!allowed(target, table[layer]!)) problems.push(`${source.file} imports ${target}: "${layer}" may not import "${layerOf(target)}"`);
    }
    edges.set(source.file, targets);
    if (EDGE_FREE.some((edge) => source.file === edge || source.file.startsWith(edge))) continue;
    const uses = new Set(bareCode(source.text).match(/\bprocess\.[A-Za-z]+|\bDate\.now\b|\bconsole\.[a-z]+/g) ?? []);
    for (const use of uses) if (!globals[source.file]?.includes(use)) problems.push(`${source.file} uses ${use}: pass it in from the edge (cli/, api.ts)`);
  }
  problems.push(...circles(edges, known));
  return problems;
}

/** Import circles through value imports (a type import is erased), each as a path. */
function circles(edges: ReadonlyMap<string, readonly string[]>, known: Record<string, string>): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (known[`${file} -> ${next}`]) continue;
      if (state.get(next) === "open") found.push(`import circle: ${[...path.slice(path.indexOf(next)), next].join(" -> ")}`);
      else if (!state.has(next) && edges.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

t.test("lib/ keeps its layers, has no import circle, and reads the process only at the edge", async (t) => {
  const sources = readTree(LIB);
  t.ok(sources.length > 50, "the tree was read");
  t.strictSame(check(sources, MAY_IMPORT, KNOWN_UPWARD, ALLOWED_GLOBALS), []);
});

t.test("every exception listed is still needed", async (t) => {
  const sources = readTree(LIB);
  for (const edge of Object.keys(KNOWN_UPWARD)) {
    const [from, to] = edge.split(" -> ");
    const source = sources.find((candidate) => candidate.file === from);
    t.ok(source && importsOf(source).some(({ target }) => target === to), `${edge} is still imported`);
  }
  for (const [file, uses] of Object.entries(ALLOWED_GLOBALS)) {
    const text = bareCode(sources.find((candidate) => candidate.file === file)?.text ?? "");
    for (const use of uses) t.ok(text.includes(use), `${file} still uses ${use}`);
  }
});

t.test("the check itself: an upward import, a circle and a use of process deep inside are each named", async (t) => {
  const root = t.testdir({});
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write("util/a.ts", 'import { b } from "./b.js";\nexport const a = 1;\n');
  write("util/b.ts", 'import { a } from "./a.js";\nexport const b = a;\n');
  write("run/work.ts", 'import { main } from "../cli/main.js";\n// process.exit in a comment is no use\nexport const w = process.env.HOME;\n');
  write("run/types.ts", 'import type { main } from "../cli/main.js";\n');
  write("cli/main.ts", 'import { w } from "../run/work.js";\nexport const main = () => console.log(process.argv, w);\n');
  const problems = check(readTree(root), MAY_IMPORT, {}, {});
  t.strictSame(problems.sort(), [
    'import circle: cli/main.ts -> run/work.ts -> cli/main.ts',
    'import circle: util/a.ts -> util/b.ts -> util/a.ts',
    'run/types.ts imports cli/main.ts: "run" may not import "cli"',
    'run/work.ts imports cli/main.ts: "run" may not import "cli"',
    "run/work.ts uses process.env: pass it in from the edge (cli/, api.ts)",
  ]);
});
