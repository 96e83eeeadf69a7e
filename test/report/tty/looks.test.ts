import t from "tap";
import type { Row } from "../../../lib/report/tty/board.js";
import { EMPTY, foldLook, rowLook, stoppingLook } from "../../../lib/report/tty/looks.js";
import { createStyle } from "../../../lib/util/style.js";

const style = createStyle(false);
const row = (name: string, fields: Partial<Row> = {}): Row => ({ name, order: 0, phase: "running", ...fields });

t.test("a row looks like its phase: waiting, running with its latest line, finished with its end", async (t) => {
  t.strictSame(rowLook(row("lint", { phase: "waiting" }), style), { title: "lint  waiting", mark: "waiting" });
  t.strictSame(rowLook(row("build", { lastLine: "compiling" }), style), { title: "build\n› compiling", mark: "running" });
  const end = { event: "end", task: "e2e", state: "failed", duration: 207, reason: "exit code 2", time: 0 } as const;
  t.strictSame(rowLook(row("e2e", { phase: "done", end }), style), { title: "e2e 207ms  exit code 2", mark: "failed" });
  const skipped = { ...end, state: "skipped", reason: 'dep "e2e" failed' } as const;
  t.strictSame(rowLook(row("all", { phase: "done", end: skipped }), style), { title: 'all  dep "e2e" failed', mark: "skipped" });
});

t.test("a row running when the run stops is marked, and the stopping line names what mity waits for", async (t) => {
  t.strictSame(rowLook(row("deploy", { stopping: true, lastLine: "cleaning up" }), style).title, "deploy  stopping\n› cleaning up");
  t.equal(stoppingLook("SIGINT", false, [row("deploy")], style).title, "mity: SIGINT: stopping, waiting for deploy (again to kill them now)");
  t.equal(
    stoppingLook("SIGTERM", false, [row("a"), row("b")], style).title,
    "mity: SIGTERM: stopping, waiting for 2 tasks: a, b (again to kill them now)",
  );
  t.equal(stoppingLook("SIGINT", false, [], style).title, "mity: SIGINT: stopping (again to kill them now)");
  t.equal(stoppingLook("SIGINT", true, [row("a"), row("b")], style).title, "mity: SIGINT again: killing 2 tasks: a, b");
  const many = Array.from({ length: 500 }, (_, i) => row(`t${i}`));
  t.equal(
    stoppingLook("SIGTERM", false, many, style).title,
    "mity: SIGTERM: stopping, waiting for 500 tasks: t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, … (again to kill them now)",
  );
});

t.test("the fold line counts what did not fit, and is empty when everything did", async (t) => {
  const frame = { shown: [], folded: { running: 40, finished: 12, waiting: 3 } };
  t.equal(foldLook(frame, style).title, "… 40 more running, 12 more finished, 3 more waiting");
  t.equal(foldLook({ shown: [], folded: { running: 0, finished: 0, waiting: 0 } }, style), EMPTY);
});
