import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { commandArgv, directArgv, shellQuote } from "../../lib/run/command.js";

t.test("directArgv splits a plain command into words", async (t) => {
  const cases: [string, string[]][] = [
    ["tsc", ["tsc"]],
    ["tsc -p .", ["tsc", "-p", "."]],
    ["  node   --test  ", ["node", "--test"]],
    ["eslint\t--fix\tsrc/", ["eslint", "--fix", "src/"]],
    ["make CFLAGS=-O2 all", ["make", "CFLAGS=-O2", "all"]],
    ["node scripts/build.mjs --out=dist,lib @scope/pkg 50% a:b +x", ["node", "scripts/build.mjs", "--out=dist,lib", "@scope/pkg", "50%", "a:b", "+x"]],
    ["./bin/run.sh", ["./bin/run.sh"]],
    ["true", ["true"]],
  ];
  for (const [command, expected] of cases) t.strictSame(directArgv(command), expected, command);
});

t.test("directArgv leaves anything the shell would interpret to the shell", async (t) => {
  const cases: [string, string][] = [
    ['echo "hi"', "double quotes"],
    ["echo 'hi'", "single quotes"],
    ["echo $HOME", "variable"],
    ["echo ${HOME}", "braced variable"],
    ["echo $(id)", "command substitution"],
    ["echo `id`", "backticks"],
    ["ls *.ts", "glob star"],
    ["ls file?.ts", "glob question mark"],
    ["ls [ab].ts", "glob class"],
    ["echo {a,b}", "brace expansion"],
    ["ls ~", "tilde"],
    ["cat a | grep b", "pipe"],
    ["echo hi > out.txt", "redirection out"],
    ["sort < in.txt", "redirection in"],
    ["make 2>&1", "fd redirection"],
    ["a && b", "and"],
    ["a || b", "or"],
    ["a; b", "separator"],
    ["sleep 1 &", "background"],
    ["(cd src)", "subshell"],
    ["echo a\\ b", "backslash escape"],
    ["echo a # comment", "comment"],
    ["echo a\nrm b", "newline"],
    ["! false", "negation"],
    ["cd src", "builtin cd"],
    ["export A=1", "builtin export"],
    ["exit 1", "builtin exit"],
    ["source env.sh", "builtin source"],
    [". env.sh", "builtin dot"],
    ["set -e", "builtin set"],
    ["exec node server.js", "builtin exec"],
    ["if", "keyword"],
    ["VAR=x cmd", "assignment prefix"],
    ["A=1", "assignment alone"],
    ["", "empty"],
    ["   ", "blank"],
  ];
  for (const [command, why] of cases) t.equal(directArgv(command), undefined, `${why}: ${JSON.stringify(command)}`);
});

t.test("commandArgv runs plain commands directly, the rest through /bin/sh -c, and cmd.exe on Windows", async (t) => {
  t.strictSame(commandArgv("tsc -p .", "linux"), ["tsc", "-p", "."]);
  t.strictSame(commandArgv("echo $HOME", "linux"), ["/bin/sh", "-c", "echo $HOME"]);
  t.strictSame(commandArgv("cd src && make", "darwin"), ["/bin/sh", "-c", "cd src && make"]);
  t.strictSame(commandArgv("tsc -p .", "win32").slice(1), ["/d", "/s", "/c", "tsc -p ."]);
});

t.test("shellQuote leaves plain words alone and single-quotes the rest", async (t) => {
  const cases: [string, string][] = [
    ["abc", "abc"],
    ["src/a-b_c.ts", "src/a-b_c.ts"],
    ["--out=dist", "--out=dist"],
    ["", "''"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["$(id)", "'$(id)'"],
    ["*", "'*'"],
  ];
  for (const [value, expected] of cases) t.equal(shellQuote(value), expected, JSON.stringify(value));
});

const NASTY = [
  "plain",
  "a b; touch x",
  "touch x",
  "'",
  "''",
  '"',
  "it's \"quoted\"",
  "$(id)",
  "`id`",
  "$HOME",
  "${HOME:-x}",
  "",
  " ",
  "\n",
  "line one\nline two\n",
  "tab\there",
  "*",
  "~",
  "a\\b\\",
  "\\'",
  "-n",
  "%s %d",
  "!!",
  "a && touch x || touch x",
  "> x",
  "héllo ✓ 🎉",
];

t.test("shellQuote round-trips nasty values through a real /bin/sh, one word each", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "mity-quote-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const script = `printf '<%s>' ${NASTY.map(shellQuote).join(" ")}`;
  const printed = execFileSync("/bin/sh", ["-c", script], { cwd: dir, encoding: "utf8" });
  t.equal(printed, NASTY.map((value) => `<${value}>`).join(""));
  for (const value of NASTY) {
    const one = execFileSync("/bin/sh", ["-c", `printf %s ${shellQuote(value)}`], { cwd: dir, encoding: "utf8" });
    t.equal(one, value, JSON.stringify(value));
  }
  t.strictSame(readdirSync(dir), [], "nothing was run: no file x was touched");
});
