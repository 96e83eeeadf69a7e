import t from "tap";
import { TASK_COLORS, colorEnabled, createStyle, type StyleName } from "../../lib/util/style.js";

t.test("colorEnabled honours NO_COLOR, FORCE_COLOR, TERM=dumb, then the terminal", async (t) => {
  const cases: [string, NodeJS.ProcessEnv, boolean, boolean][] = [
    ["a terminal", {}, true, true],
    ["a pipe", {}, false, false],
    ["NO_COLOR on a terminal", { NO_COLOR: "1" }, true, false],
    ["NO_COLOR beats FORCE_COLOR", { NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
    ["an empty NO_COLOR is not set", { NO_COLOR: "" }, true, true],
    ["FORCE_COLOR on a pipe", { FORCE_COLOR: "1" }, false, true],
    ["FORCE_COLOR=3 on a pipe", { FORCE_COLOR: "3" }, false, true],
    ["an empty FORCE_COLOR forces", { FORCE_COLOR: "" }, false, true],
    ["FORCE_COLOR=0 on a terminal", { FORCE_COLOR: "0" }, true, false],
    ["FORCE_COLOR=false on a terminal", { FORCE_COLOR: "false" }, true, false],
    ["TERM=dumb on a terminal", { TERM: "dumb" }, true, false],
    ["FORCE_COLOR beats TERM=dumb", { TERM: "dumb", FORCE_COLOR: "1" }, false, true],
    ["another TERM on a terminal", { TERM: "xterm-256color" }, true, true],
    ["another TERM on a pipe", { TERM: "xterm-256color" }, false, false],
  ];
  for (const [name, env, isTTY, expected] of cases) t.equal(colorEnabled(env, isTTY), expected, name);
});

t.test("createStyle(true) wraps text in the ANSI open and close codes", async (t) => {
  const style = createStyle(true);
  const expected: Record<StyleName, [number, number]> = {
    bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39],
    magenta: [35, 39], cyan: [36, 39], gray: [90, 39],
  };
  t.strictSame(Object.keys(style).sort(), Object.keys(expected).sort());
  for (const [name, [open, close]] of Object.entries(expected) as [StyleName, [number, number]][]) {
    t.equal(style[name]("x y"), `\u001b[${open}mx y\u001b[${close}m`, name);
  }
  t.equal(style.red(style.bold("!")), "\u001b[31m\u001b[1m!\u001b[22m\u001b[39m");
});

t.test("createStyle(false) leaves text alone", async (t) => {
  const style = createStyle(false);
  for (const name of Object.keys(style) as StyleName[]) t.equal(style[name]("[build] ok"), "[build] ok", name);
});

t.test("task colours are styles, no two alike", async (t) => {
  const style = createStyle(true);
  t.ok(TASK_COLORS.length >= 2);
  t.equal(new Set(TASK_COLORS).size, TASK_COLORS.length);
  for (const name of TASK_COLORS) t.type(style[name], "function", name);
});
