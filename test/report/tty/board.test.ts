import t from "tap";
import type { EndEvent } from "../../../lib/run/events.js";
import type { TaskState } from "../../../lib/types.js";
import { Board } from "../../../lib/report/tty/board.js";

const names = (count: number) => Array.from({ length: count }, (_, i) => `t${i}`);
const end = (task: string, state: TaskState = "ok"): EndEvent => ({ event: "end", task, state, duration: 5, time: 0 });
const shownNames = (board: Board, lines: number, finishedOnly = false) => board.frame(lines, finishedOnly).shown.map((row) => row.name);

t.test("a frame takes failed, running, the latest finished, then waiting rows, shown in run order", async (t) => {
  const board = new Board(names(10));
  board.start("t5");
  board.end(end("t5", "failed"));
  for (const name of ["t0", "t1", "t2"]) {
    board.start(name);
    board.end(end(name));
  }
  board.start("t7");
  board.start("t8");
  board.row("t8").lastLine = "compiling";
  t.strictSame(shownNames(board, 6), ["t1", "t2", "t5", "t7", "t8"], "t8 takes two lines; t0 is the oldest finished");
  t.strictSame(board.frame(6).folded, { running: 0, finished: 1, waiting: 4 });
  t.strictSame(shownNames(board, 8), ["t0", "t1", "t2", "t3", "t5", "t7", "t8"], "then the next waiting");
  t.strictSame(shownNames(board, 2), ["t5", "t7"], "failed, then running");
  t.strictSame(board.frame(2).folded, { running: 1, finished: 3, waiting: 4 });
});

t.test("a view's last frame holds finished rows only, and the next view leaves them out", async (t) => {
  const board = new Board(names(4));
  board.start("t0");
  board.end(end("t0"));
  board.start("t1");
  t.strictSame(shownNames(board, 10, true), ["t0"]);
  t.strictSame(board.frame(10, true).folded, { running: 0, finished: 0, waiting: 0 });
  board.retireFinished();
  board.end(end("t1", "cancelled"));
  t.strictSame(shownNames(board, 10), ["t1", "t2", "t3"]);
});

t.test("stopping marks the rows that are running then", async (t) => {
  const board = new Board(names(3));
  board.start("t0");
  board.start("t1");
  board.end(end("t1"));
  board.stopping();
  t.strictSame(board.running().map((row) => [row.name, row.stopping]), [["t0", true]]);
});

t.test("a task the plan did not name gets a row at the end", async (t) => {
  const board = new Board(["a"]);
  board.start("b");
  t.strictSame(shownNames(board, 5), ["a", "b"]);
});

t.test("events and frames stay cheap with 10,000 tasks", async (t) => {
  const all = names(10_000);
  const board = new Board(all);
  let frames = 0;
  // A frame after every event: the view draws far fewer, but the cost must not grow with the count.
  for (const name of all) {
    board.start(name);
    board.row(name).lastLine = "x";
    board.end(end(name, name.endsWith("7") ? "failed" : "ok"));
    if (board.frame(27).shown.length <= 27) frames++;
  }
  t.equal(frames, 10_000);
  const last = board.frame(27);
  t.equal(last.shown.length, 27);
  t.strictSame(last.folded, { running: 0, finished: 10_000 - 27, waiting: 0 });
});
