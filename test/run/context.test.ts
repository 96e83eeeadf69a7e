import { execFileSync } from "node:child_process";
import t from "tap";
import { buildCommand, createContext, type ContextOptions } from "../../lib/run/context.js";
import { CommandError } from "../../lib/util/errors.js";
import type { CommandResult } from "../../lib/types.js";

const cmd = (strings: TemplateStringsArray, ...values: unknown[]) => buildCommand(strings, values);

t.test("buildCommand quotes each value as one word, an array as several", async (t) => {
  const cases: [string, string][] = [
    [cmd`echo ${"a b"} end`, "echo 'a b' end"],
    [cmd`git add ${["a.ts", "b c.ts"]}`, "git add a.ts 'b c.ts'"],
    [cmd`rm ${"a b; touch x"}`, "rm 'a b; touch x'"],
    [cmd`echo ${"it's"}`, "echo 'it'\\''s'"],
    [cmd`echo ${"$(id)"} ${"`id`"}`, "echo '$(id)' '`id`'"],
    [cmd`echo ${""}`, "echo ''"],
    [cmd`echo ${["", "a"]}`, "echo '' a"],
    [cmd`echo ${[]}.`, "echo ."],
    [cmd`sleep ${1.5} ${true}`, "sleep 1.5 true"],
    [cmd`${"node"}`, "node"],
    [cmd`a${"b"}c`, "abc"],
    [cmd`plain text`, "plain text"],
  ];
  for (const [built, expected] of cases) t.equal(built, expected, expected);
});

t.test("buildCommand: a real /bin/sh sees exactly the values given", async (t) => {
  const values = ["a b; touch x", "'", '"', "$(id)", "", "line\nbreak", "*", "~", "-n"];
  const list = ["one two", "three"];
  const command = cmd`printf '<%s>' ${values[0]} ${values[1]} ${values[2]} ${values[3]} ${values[4]} ${values[5]} ${values[6]} ${values[7]} ${values[8]} ${list}`;
  const printed = execFileSync("/bin/sh", ["-c", command], { encoding: "utf8" });
  t.equal(printed, [...values, ...list].map((value) => `<${value}>`).join(""));
});

/** Context options with a fake exec that answers with the given results in turn. */
function fake(results: CommandResult[]) {
  const logged: string[] = [];
  const ran: string[] = [];
  const controller = new AbortController();
  const options: ContextOptions = {
    name: "fw:apply",
    cwd: "/p/fw",
    env: { A: "1" },
    params: { env: "prod" },
    args: ["--x", "y"],
    signal: controller.signal,
    log: (line) => logged.push(line),
    exec: async (command) => {
      ran.push(command);
      const result = results.shift();
      if (!result) throw new Error("no more fake results");
      return result;
    },
  };
  return { options, logged, ran, controller };
}

t.test("createContext exposes the task's name, cwd, env, params, args and signal", async (t) => {
  const { options, controller } = fake([]);
  const ctx = createContext(options);
  t.equal(ctx.name, "fw:apply");
  t.equal(ctx.cwd, "/p/fw");
  t.strictSame(ctx.env, { A: "1" });
  t.strictSame(ctx.params, { env: "prod" });
  t.strictSame(ctx.args, ["--x", "y"]);
  t.equal(ctx.signal, controller.signal);
  t.ok(Object.isFrozen(ctx) && Object.isFrozen(ctx.env) && Object.isFrozen(ctx.args) && Object.isFrozen(ctx.params));
  (options.env as Record<string, string>).A = "changed";
  (options.args as string[]).push("later");
  t.strictSame(ctx.env, { A: "1" }, "a copy, not the caller's object");
  t.strictSame(ctx.args, ["--x", "y"]);
});

t.test("ctx is a plain object: spread, Object.keys and destructuring see every member", async (t) => {
  const { options, logged, controller } = fake([]);
  const ctx = createContext(options);
  const copy = { ...ctx };
  t.strictSame(Object.keys(copy).sort(), ["args", "cwd", "env", "log", "name", "params", "sh", "signal", "staged"]);
  t.strictSame(copy.env, { A: "1" });
  t.equal(copy.signal, controller.signal);
  const { log, sh } = ctx;
  log("from a destructured log");
  t.strictSame(logged, ["from a destructured log"]);
  t.type(sh, "function");
  t.strictSame(JSON.parse(JSON.stringify(ctx)).name, "fw:apply");
});

t.test("the signal is made only when first read, and is already aborted if the task was stopped before", async (t) => {
  const stop = new AbortController();
  let made = 0;
  const { options } = fake([]);
  const ctx = createContext({ ...options, signal: () => (made++, stop.signal) });
  t.equal(made, 0, "not made with the context");
  stop.abort("timeout");
  t.equal(ctx.signal.aborted, true);
  t.equal(ctx.signal.reason, "timeout");
  t.equal(ctx.signal, ctx.signal, "the same signal on every read");
  t.equal(made, 1);
});

t.test("log gives one line per line of text", async (t) => {
  const { options, logged } = fake([]);
  const ctx = createContext(options);
  ctx.log("one");
  ctx.log("two\nthree\r\nfour");
  ctx.log("");
  t.strictSame(logged, ["one", "two", "three", "four", ""]);
});

t.test("sh runs the quoted command and resolves with its result", async (t) => {
  const { options, ran } = fake([{ exitCode: 0, signal: null }]);
  const ctx = createContext(options);
  const file = "my file.txt";
  t.strictSame(await ctx.sh`cat ${file} ${["-n", "$x"]}`, { exitCode: 0, signal: null });
  t.strictSame(ran, ["cat 'my file.txt' -n '$x'"]);
});

t.test("sh rejects with a CommandError carrying the exit code", async (t) => {
  const { options, ran } = fake([
    { exitCode: 3, signal: null },
    { exitCode: 143, signal: "SIGTERM" },
  ]);
  const ctx = createContext(options);
  const error = await ctx.sh`exit ${3}`.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  t.ok(error instanceof CommandError, "a CommandError");
  const failed = error as CommandError;
  t.equal(failed.exitCode, 3);
  t.equal(failed.command, "exit 3");
  t.equal(failed.name, "CommandError");
  t.equal(failed.message, "command failed with exit code 3: exit 3");
  await t.rejects(ctx.sh`sleep 100`, { name: "CommandError", exitCode: 143 });
  t.strictSame(ran, ["exit 3", "sleep 100"]);
});

t.test("sh passes on an error of exec itself", async (t) => {
  const { options } = fake([]);
  await t.rejects(createContext(options).sh`true`, { message: "no more fake results" });
});

t.test("options may be an object whose functions are its methods, as the scheduler's are", async (t) => {
  class Source {
    logged: string[] = [];
    readonly name = "m";
    readonly cwd = "/m";
    readonly params = {};
    readonly args: string[] = [];
    readonly controller = new AbortController();
    env() {
      return { FROM: this.name };
    }
    signal() {
      return this.controller.signal;
    }
    log(line: string) {
      this.logged.push(line);
    }
    async exec(): Promise<CommandResult> {
      return { exitCode: 0, signal: null };
    }
  }
  const source = new Source();
  const { env, signal, log, sh } = createContext(source);
  log("destructured");
  t.strictSame(source.logged, ["destructured"]);
  t.strictSame(env, { FROM: "m" });
  t.equal(signal, source.controller.signal);
  t.strictSame(await sh`true`, { exitCode: 0, signal: null });
});

t.test("each context keeps its own members: the getters all contexts share read the right task", async (t) => {
  const a = fake([{ exitCode: 0, signal: null }]);
  const b = fake([{ exitCode: 3, signal: null }]);
  const ctxA = createContext({ ...a.options, name: "a", env: { WHO: "a" } });
  const ctxB = createContext({ ...b.options, name: "b", env: { WHO: "b" } });
  t.strictSame(Object.keys(ctxA), ["name", "cwd", "env", "params", "args", "staged", "signal", "log", "sh"], "members in a fixed order");
  t.strictSame([ctxA.env.WHO, ctxB.env.WHO], ["a", "b"]);
  t.equal(ctxA.log, ctxA.log, "log is one function per context");
  t.not(ctxA.log, ctxB.log);
  ctxB.log("to b");
  ctxA.log("to a");
  t.strictSame([a.logged, b.logged], [["to a"], ["to b"]]);
  t.strictSame(await ctxA.sh`true`, { exitCode: 0, signal: null });
  await t.rejects(ctxB.sh`false`, { name: "CommandError", exitCode: 3 }, "b's sh ran b's exec");
  t.strictSame([a.ran, b.ran], [["true"], ["false"]]);
  t.throws(() => {
    "use strict";
    (ctxA as { name: string }).name = "changed";
  }, TypeError, "frozen: a member cannot be replaced");
  t.throws(() => Object.defineProperty(ctxA, "log", { value: () => {} }), TypeError);
});
