import t from "tap";
import { parseArgs, parseWithYargs, type ParsedArgs } from "../../lib/cli/args.js";
import { OPTIONS } from "../../lib/cli/options.js";
import { quickParse } from "../../lib/cli/quick-args.js";

/** What yargs makes of argv: the request, or the text or refusal it gives instead. */
async function viaYargs(argv: readonly string[]): Promise<ParsedArgs | { refused: string }> {
  try {
    return await parseWithYargs(argv, "1.2.3");
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

async function viaParseArgs(argv: readonly string[]): Promise<ParsedArgs | { refused: string }> {
  try {
    return await parseArgs(argv, "1.2.3");
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** Common command lines: the quick reader must take each of them, and read it as yargs does. */
const TAKEN: string[][] = [
  [],
  ["build"],
  ["build", "test", "lint"],
  ["firewall:apply", "cloud:plan"],
  ["--list"],
  ["-l"],
  ["--list", "--all", "--json"],
  ["--list", "cloud:"],
  ["-n", "deploy"],
  ["--dry-run", "deploy"],
  ["--parallel", "test-all"],
  ["-p", "-j", "4", "a", "b"],
  ["--concurrency=2", "a"],
  ["-j", "1", "-k", "a"],
  ["--keep-going", "a"],
  ["--fail-fast", "a"],
  ["--grace", "2.5", "a"],
  ["--grace=0", "a"],
  ["-f", "ci/tasks.ts", "a"],
  ["--mityfile=ci/tasks.ts"],
  ["-C", "infra", "plan"],
  ["--cwd", "some dir", "plan"],
  ["-g", "sync"],
  ["--output", "raw", "a"],
  ["--output=json", "a"],
  ["--output", "prefix", "-s", "a"],
  ["--output", "grouped", "a"],
  ["-v", "a"],
  ["-y", "apply"],
  ["-B", "build"],
  ["--no-deps", "deploy"],
  ["--force-all", "build"],
  ["--why", "build"],
  ["--graph", "dot"],
  ["--graph", "build"],
  ["--graph=mermaid", "build"],
  ["--hook", "pre-commit"],
  ["--hook", "commit-msg", ".git/COMMIT_EDITMSG"],
  ["--install-hooks"],
  ["--get-completions", "--", "mity", "dep"],
  ["hello", "--", "Ada", "--not-an-option", "-x"],
  ["a", "--"],
  ["--list", "--list"],
  ["-j", "2", "-j", "3", "a"],
  ["-j8", "a"],
  ["-p", "-j12", "test-all"],
  ["-j2.5", "a"],
  ["-j0", "a"],
  ["-j4", "-j", "2", "a"],
  ["--output", "raw", "--output", "json"],
  ["--why", "123"],
  ["--completion", "fish"],
  ["--init"],
  ["--uninstall-hooks"],
  ["--cwd="],
];

/** Lines the quick reader leaves to yargs: help, version, mistakes and rarer forms. */
const LEFT: string[][] = [
  ["--help"],
  ["-h"],
  ["build", "--help"],
  ["--version"],
  ["-V"],
  ["--lsit"],
  ["-x"],
  ["-kp", "a"],
  ["-j4x", "a"],
  ["-l4", "a"],
  ["-j-1", "a"],
  ["-j", "4", "-n2", "a"],
  ["-j", "many", "a"],
  ["-j", "-1", "a"],
  ["--concurrency", "0x10"],
  ["--grace", "1e3"],
  ["--output", "loud"],
  ["--completion", "tcsh"],
  ["--output"],
  ["-C"],
  ["--cwd", "--list"],
  ["--graph"],
  ["--no-parallel", "a"],
  ["--list=true"],
  ["--dryRun", "a"],
  ["-s", "-v", "a"],
  ["--keep-going", "--fail-fast", "a"],
  ["-"],
  ["-5"],
  ["--list", "true"],
  ["-k", "false", "a"],
  ["build", "-y", "false"],
];

t.test("the quick reader takes common lines and reads them as yargs does", async (t) => {
  for (const argv of TAKEN) {
    const quick = quickParse(argv);
    t.ok(quick, `taken: ${JSON.stringify(argv)}`);
    t.strictSame(await viaParseArgs(argv), await viaYargs(argv), `same request: ${JSON.stringify(argv)}`);
  }
});

t.test("the quick reader leaves other lines to yargs, which answers them as before", async (t) => {
  for (const argv of LEFT) {
    t.equal(quickParse(argv), undefined, `left to yargs: ${JSON.stringify(argv)}`);
    t.strictSame(await viaParseArgs(argv), await viaYargs(argv), `same answer: ${JSON.stringify(argv)}`);
  }
});

t.test("random lines of mity's options and task names: both readers agree", async (t) => {
  // A small deterministic generator: the same lines on every run.
  let seed = 20261124;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const flags = Object.entries(OPTIONS).flatMap(([name, spec]) => [`--${name}`, ...("alias" in spec ? [`-${spec.alias}`] : [])]);
  const values = ["2", "0.5", "raw", "json", "dot", "fish", "x", "build", "", "-v", "1e2", "true", "false"];
  let taken = 0;
  for (let line = 0; line < 400; line++) {
    const argv: string[] = [];
    for (let k = random(5); k >= 0; k--) {
      const pick = random(10);
      if (pick < 3) argv.push(["build", "test", "ns:task"][random(3)]!);
      else if (pick < 9) {
        const flag = flags[random(flags.length)]!;
        const form = random(4);
        if (form === 0) argv.push(`${flag}=${values[random(values.length)]}`);
        else if (form === 1 && flag.length === 2) argv.push(`${flag}${values[random(values.length)]}`);
        else argv.push(flag, ...(random(2) ? [values[random(values.length)]!] : []));
      } else argv.push("--", "rest");
    }
    if (quickParse(argv)) taken++;
    t.strictSame(await viaParseArgs(argv), await viaYargs(argv), JSON.stringify(argv));
  }
  t.ok(taken > 50, `the quick reader took ${taken} of 400 lines`);
});
