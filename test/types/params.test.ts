import t from "tap";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const declared = join(here, "params.test-d.ts");

const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);

let previous: ts.Program | undefined;

/** Type-checks `text` as a file beside this one (so `../../lib/index.js` resolves); returns its errors by line (1-based). */
function check(text: string): Map<number, string[]> {
  const file = join(here, "params.virtual.ts");
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  // The previous program lets lib/ and node's types be reused rather than parsed again.
  const program = ts.createProgram({ rootNames: [file], options, host, ...(previous ? { oldProgram: previous } : {}) });
  previous = program;
  const errors = new Map<number, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program, program.getSourceFile(file))) {
    const line = diagnostic.start === undefined ? 0 : diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
    errors.set(line, [...(errors.get(line) ?? []), ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")]);
  }
  return errors;
}

const source = readFileSync(declared, "utf8");

t.test("params.test-d.ts type-checks", async (t) => {
  t.strictSame([...check(source)], []);
});

t.test("every @ts-expect-error line of params.test-d.ts is an error without the directive", async (t) => {
  const lines = source.split("\n");
  const expected = lines.flatMap((line, i) => (/\/\/ @ts-expect-error/.test(line) ? [i + 2] : []));
  t.ok(expected.length >= 6, "the file has its expected errors");
  const stripped = lines.map((line) => line.replace(/\/\/ @ts-expect-error.*$/, "")).join("\n");
  const errors = check(stripped);
  for (const line of expected) t.ok(errors.has(line), `line ${line}: ${lines[line - 1]!.trim()}`, { errors: errors.get(line) });
  t.strictSame([...errors.keys()].filter((line) => !expected.includes(line)), [], "no error elsewhere");
});

const preamble = `import { defineConfig } from "../../lib/index.js";
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_proof: T): void => {};
`;

t.test("a param with choices, required or a default has that type in ctx.params", async (t) => {
  const errors = check(`${preamble}
defineConfig({ tasks: { deploy: {
  params: {
    env: { type: "string", choices: ["staging", "prod"], required: true },
    dryRun: { type: "boolean", default: false },
    region: { type: "string", choices: ["eu", "us"] },
    name: { type: "string", default: "web" },
    replicas: { type: "number", required: true },
    tags: { type: "string[]", choices: ["a", "b"], description: "labels" },
    limit: { type: "number", required: false, description: "at most" },
  },
  run: (ctx) => {
    expectType<Equal<typeof ctx.params.env, "staging" | "prod">>(true);
    expectType<Equal<typeof ctx.params.dryRun, boolean>>(true);
    expectType<Equal<typeof ctx.params.region, "eu" | "us" | undefined>>(true);
    expectType<Equal<typeof ctx.params.name, string>>(true);
    expectType<Equal<typeof ctx.params.replicas, number>>(true);
    expectType<Equal<typeof ctx.params.tags, ("a" | "b")[] | undefined>>(true);
    expectType<Equal<typeof ctx.params.limit, number | undefined>>(true);
  },
} } });
`);
  t.strictSame([...errors.values()], []);
});

t.test("a param declaration is checked by the compiler", async (t) => {
  const cases: [string, boolean, string][] = [
    ['{ type: "int" }', true, "an unknown type"],
    ['{ type: "string", requird: true }', true, "an unknown field"],
    ['{ type: "string", required: "yes" }', true, "a field of the wrong type"],
    ['{ description: "no type" }', true, "no type"],
    ['{ type: "string", choices: "a" }', true, "choices that are not a list"],
    ['{ type: "string", choices: ["a"], description: "fine" }', false, "a good declaration"],
  ];
  const lines = cases.map(([param]) => `defineConfig({ tasks: { x: { params: { n: ${param} }, run: "true" } } });`);
  const first = preamble.split("\n").length;
  const errors = check(preamble + lines.join("\n"));
  cases.forEach(([, fails, what], i) => t.equal(errors.has(first + i), fails, what, { errors: errors.get(first + i) }));
  t.equal(errors.size, cases.filter(([, fails]) => fails).length, "no error elsewhere");
});
