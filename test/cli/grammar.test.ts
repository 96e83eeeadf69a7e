import t from "tap";
import { parseArgs, parseWithYargs, type ParsedArgs } from "../../lib/cli/args.js";
import { OPTIONS } from "../../lib/cli/options.js";
import { quickParse } from "../../lib/cli/quick-args.js";
import { placeOf, readCommandLine } from "../../lib/cli/command-line.js";
import { splitTaskOptions } from "../../lib/cli/task-options.js";
import { load } from "../../lib/api.js";
import { join, resolve } from "node:path";
import { tempTree } from "../helpers/mity.js";
import type { ParamSpec } from "../../lib/types.js";

// One grammar for the command line. yargs is its definition; the quick reader (quick-args.ts) reads
// common lines without yargs' set-up cost and may decline any line ("use yargs"), but must never read
// one differently. Thousands of generated lines, the same on every run (a seeded generator), go through
// both, after the tasks' params are taken out as the command line does.

/** A small seeded generator (mulberry32): the same lines on every run, no dependency. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  return { below, pick };
}

/** The tasks of the imagined mityfile and their params. */
const TASKS: Record<string, Readonly<Record<string, ParamSpec>>> = {
  build: {},
  test: {},
  "ns:task": {},
  deploy: { env: { type: "string" }, count: { type: "number" }, loud: { type: "boolean" }, dryRun: { type: "boolean" } },
  say: { msg: { type: "string" }, tag: { type: "string[]" } },
};
const PARAMS = ["--env", "--count", "--loud", "--no-loud", "--dry-run", "--msg", "--tag", "--env=prod", "--msg=hi", "--loud=false"];

type Spec = { alias?: string; type: string };
const LONG = Object.keys(OPTIONS);
const SHORT = Object.values(OPTIONS as Record<string, Spec>).flatMap((spec) => (spec.alias === undefined ? [] : [spec.alias]));
const VALUES = ["2", "4", "0", "0.5", "-1", "1e2", "x", "raw", "json", "prefix", "dot", "mermaid", "fish", "build", "deploy", "", "true", "false", "--list", "-v", "a b"];
const UNKNOWN = ["--lsit", "--nope", "-x", "-Z", "--Dry-Run", "--LIST", "--dryRun", "--keepGoing", "-", "-5", "--5"];

/** One word or a few words of a command line. */
function words(random: ReturnType<typeof generator>): string[] {
  const { below, pick } = random;
  const long = pick(LONG);
  const short = pick(SHORT);
  switch (below(16)) {
    case 0:
    case 1:
    case 2:
      return [pick([...Object.keys(TASKS), "Build", "BUILD", "unknown", "a-b", "ns:"])];
    case 3:
      return [`--${long}`];
    case 4:
      return [`--${long}`, pick(VALUES)];
    case 5:
      return [`--${long}=${pick(VALUES)}`];
    case 6:
      return [`-${short}`];
    case 7:
      return [`-${short}`, pick(VALUES)];
    case 8:
      return [`-${short}${pick(["4", "12", "0", "x", "2.5", "=3"])}`];
    // Groups of short options, as in `-kp` or `-kj 4`.
    case 9:
      return [`-${Array.from({ length: 2 + below(2) }, () => pick(SHORT)).join("")}`, ...(below(2) ? [pick(VALUES)] : [])];
    case 10:
      return [`--no-${long}`];
    // Capitals: an option's name in upper case, or a task's.
    case 11:
      return [below(2) ? `--${long.toUpperCase()}` : `-${short.toUpperCase()}`, ...(below(2) ? [pick(VALUES)] : [])];
    case 12:
      return [pick(UNKNOWN), ...(below(2) ? [pick(VALUES)] : [])];
    case 13:
    case 14:
      return [pick(PARAMS), ...(below(3) ? [pick(VALUES)] : [])];
    default:
      return ["--", ...Array.from({ length: below(3) }, () => pick(["rest", "--list", "-v", "build"]))];
  }
}

function line(random: ReturnType<typeof generator>): string[] {
  const argv: string[] = [];
  for (let k = 1 + random.below(5); k > 0; k--) argv.push(...words(random));
  return argv;
}

type Answer = ParsedArgs | { refused: string };

async function answer(read: () => Promise<ParsedArgs>): Promise<Answer> {
  try {
    return await read();
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** The words left for mity's own parser once the named tasks' params are out, or undefined when the params are refused. */
function rest(argv: readonly string[]): string[] | undefined {
  try {
    return splitTaskOptions(argv, (word) => TASKS[word]).rest;
  } catch {
    return undefined;
  }
}

const LINES = 3000;

t.test("the quick reader never reads a line differently from yargs", async (t) => {
  const random = generator(20261207);
  const differences: string[] = [];
  let taken = 0;
  for (let n = 0; n < LINES; n++) {
    // Half the lines as typed, half with the tasks' params taken out first, as the command line does.
    const typed = line(random);
    const argv = n % 2 ? typed : rest(typed);
    if (argv === undefined) continue;
    const quick = quickParse(argv);
    if (quick === undefined) continue;
    taken++;
    const [fast, full] = [await answer(() => parseArgs(argv, "1.2.3")), await answer(() => parseWithYargs(argv, "1.2.3"))];
    if (JSON.stringify(fast) !== JSON.stringify(full)) differences.push(`${JSON.stringify(argv)}\n  quick: ${JSON.stringify(fast)}\n  yargs: ${JSON.stringify(full)}`);
  }
  t.strictSame(differences.slice(0, 10), [], `${differences.length} lines read differently`);
  t.ok(taken > LINES / 10, `the quick reader took ${taken} of ${LINES} lines`);
});

/** A mityfile that declares the imagined tasks, each copy telling where it is by its file. */
const MITYFILE = `export default { tasks: ${JSON.stringify(Object.fromEntries(Object.entries(TASKS).filter(([name]) => !name.includes(":")).map(([name, params]) => [name, { run: "true", params }])))} };\n`;

t.test("the mityfile a line loads is the one yargs' reading of it names", async (t) => {
  // A mityfile here, one in the person's config folder (-g), and one in a folder for each value a line may name (-C x, -f x).
  const folders = VALUES.filter((value) => /^[a-z0-9][a-z0-9. ]*$/i.test(value));
  const root = tempTree(t, Object.fromEntries([["mityfile.ts", MITYFILE], ["config/mity/mityfile.ts", MITYFILE], ...folders.map((dir) => [`${dir}/mityfile.ts`, MITYFILE])]));
  const io = { cwd: root, env: { XDG_CONFIG_HOME: join(root, "config"), HOME: root }, version: "1.2.3" };
  const random = generator(7);
  const differences: string[] = [];
  let compared = 0;
  for (let n = 0; n < LINES / 3; n++) {
    const argv = line(random);
    const words = rest(argv);
    const full = words && (await answer(() => parseWithYargs(words, "1.2.3")));
    if (!full || !("request" in full) || full.request.getCompletions || full.request.hook !== undefined) continue;
    const { cwd, mityfile, global } = placeOf(full.request);
    const named = await load({ cwd: resolve(root, cwd ?? "."), mityfile, global, env: io.env }).then((graph) => graph.file, () => undefined);
    const read = await readCommandLine(argv, io).then((read) => (read.kind === "request" ? read.graph?.file ?? "nothing" : read.kind), (error: Error) => error.message);
    // A line that loads nothing (`--init`, `--help`, a mityfile that is not there) has no mityfile to compare.
    if (named === undefined || read === "nothing") continue;
    compared++;
    if (read !== named) differences.push(`${JSON.stringify(argv)}\n  loaded: ${read}\n  yargs names: ${named}`);
  }
  t.strictSame(differences.slice(0, 10), [], `${differences.length} of ${compared} lines loaded another mityfile`);
  t.ok(compared > 100, `${compared} lines compared`);
});
