import t from "tap";
import { Board } from "../../../lib/report/tty/board.js";
import { layout, rowsFor } from "../../../lib/report/tty/layout.js";
import type { Look } from "../../../lib/report/tty/looks.js";
import type { EndEvent } from "../../../lib/run/events.js";
import type { TaskState } from "../../../lib/types.js";
import { createStyle } from "../../../lib/util/style.js";

const style = createStyle(false);
const names = (count: number) => Array.from({ length: count }, (_, i) => `t${i}`);
const end = (task: string, state: TaskState = "ok"): EndEvent => ({ event: "end", task, state, duration: 5, time: 0 });
/** The frame as the terminal shows it: a look of two lines is two lines, an empty look none. */
const screen = (looks: Look[]) => looks.flatMap((look) => (look.title === "" ? [] : look.title.split("\n")));

t.test("a terminal holds its height less three lines of rows, and never fewer than four", async (t) => {
  t.equal(rowsFor(24), 21);
  t.equal(rowsFor(5), 4);
  t.equal(rowsFor(0), 4);
});

t.test("everything fits: every row, and no fold line", async (t) => {
  const board = new Board(["build", "test", "lint"]);
  board.start("build");
  board.row("build").lastLine = "compiling";
  board.end(end("lint"));
  t.strictSame(screen(layout({ board }, { rows: 10, columns: 80 }, style)), ["build", "› compiling", "test  waiting", "lint 5ms"]);
});

t.test("what does not fit folds into one line that counts it", async (t) => {
  const board = new Board(names(8));
  for (const name of ["t0", "t1", "t2"]) board.start(name);
  board.end(end("t3", "failed"));
  const lines = screen(layout({ board }, { rows: 3, columns: 80 }, style));
  t.strictSame(lines, ["t0", "t1", "t3 5ms  failed", "… 1 more running, 4 more waiting"], "a failure is kept in view, then running rows");
});

t.test("a running task's latest line is cut to the terminal's width; its name and the fold are not", async (t) => {
  const board = new Board(["build"]);
  board.start("build");
  board.row("build").lastLine = "x".repeat(200);
  const [name, latest] = screen(layout({ board }, { rows: 5, columns: 40 }, style));
  t.equal(name, "build");
  t.equal(latest!.length, 36, "the width less listr's mark and indent");
  t.match(latest, /^› x+…$/);
});

t.test("while the run stops, a line says so in a row's place, naming as many tasks as fit", async (t) => {
  const board = new Board(names(30).map((name) => `a-long-task-name-${name}`));
  for (const name of names(30)) board.start(`a-long-task-name-${name}`);
  board.stopping();
  const stopping = { signal: "SIGINT", kill: false };
  const lines = screen(layout({ board, stopping }, { rows: 6, columns: 100 }, style));
  t.equal(lines.length, 7, "five rows, the fold, the stopping line");
  t.equal(lines[5], "… 25 more running");
  const last = lines[6]!;
  t.ok(last.length <= 96, `it fits: ${last}`);
  t.match(last, /^mity: SIGINT: stopping, waiting for 30 tasks: a-long-task-name-t0, .*…/);
  t.strictSame(screen(layout({ board, stopping }, { rows: 6, columns: 100 }, style, true)), [], "a view's last frame has finished rows only");
});

t.test("10,000 tasks: a frame is the terminal's height, whatever the count", async (t) => {
  const board = new Board(names(10_000));
  for (const name of names(10_000).slice(0, 5_000)) board.start(name);
  for (const name of names(10_000).slice(0, 2_000)) board.end(end(name, name.endsWith("99") ? "failed" : "ok"));
  for (const rows of [4, 21, 60]) {
    const lines = screen(layout({ board }, { rows, columns: 80 }, style));
    t.equal(lines.length, rows + 1, `${rows} rows and the fold`);
    t.match(lines.at(-1), /^… \d+ more running, \d+ more finished, \d+ more waiting$/);
  }
});

t.test("drawing a frame changes nothing: the same state draws the same frame", async (t) => {
  const board = new Board(names(50));
  for (const name of names(50).slice(0, 20)) board.start(name);
  board.end(end("t3", "failed"));
  const first = layout({ board }, { rows: 10, columns: 60 }, style);
  t.strictSame(layout({ board }, { rows: 10, columns: 60 }, style), first);
});
