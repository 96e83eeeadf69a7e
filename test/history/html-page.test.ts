import t from "tap";
import { reportHtml } from "../../lib/history/html-page.js";
import { RECORD_FORMAT, type RunRecord } from "../../lib/history/run-record.js";

const record: RunRecord = {
  format: RECORD_FORMAT,
  id: "2026-12-07T10-00-00-000Z-1",
  startedAt: Date.UTC(2026, 11, 7, 10),
  asked: { tasks: ["<deploy>"], options: ["-k"] },
  state: "failed",
  duration: 1500,
  counts: { ok: 1, failed: 1, skipped: 1 },
  revision: "0123456789abcdef0123456789abcdef01234567",
  version: "1.2.3",
  tasks: [
    { name: "build", state: "ok", deps: [], start: 0, end: 1000, duration: 1000, exitCode: 0 },
    { name: "test", state: "failed", deps: ["build"], start: 1100, end: 1500, duration: 400, exitCode: 1, reason: 'exit code 1 from: grep "<x>"', tail: ["\u001b[31mred <img src=x onerror=alert(1)>\u001b[39m", "& done"] },
    { name: "ship", state: "skipped", deps: ["test"], duration: 0, reason: 'dep "test" failed' },
  ],
};

t.test("the page is whole: its facts, a legend with marks, a row and a node per task, the failed output escaped", async (t) => {
  const html = reportHtml(record);
  t.match(html, /^<!doctype html>/);
  t.match(html, "default-src 'none'", "a policy that forbids every load");
  t.notMatch(html, /<script|<link|<img|<iframe|<[^>]+\ssrc=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i, "nothing to run and nothing to fetch");
  t.match(html, "&lt;deploy&gt; -k: failed");
  t.match(html, "0123456789abcdef0123456789abcdef01234567");
  for (const mark of ["✓ ok", "✗ failed", "– skipped", "◆ critical path"]) t.match(html, mark, `the legend says ${mark}`);
  t.equal(html.match(/<g class="row /g)?.length, 3);
  t.equal(html.match(/<g class="node /g)?.length, 3);
  t.match(html, '<g class="row s-test'.replace("s-test", "s-failed critical"), "the failed task ended last: it is on the critical path");
  t.match(html, "<pre>red &lt;img src=x onerror=alert(1)&gt;\n&amp; done</pre>", "colour codes dropped, markup shown as text");
  t.match(html, "exit code 1 from: grep &quot;&lt;x&gt;&quot;");
  t.match(html, /waited 100ms after its deps/);
  t.match(html, "@media print");
  t.match(html, '<dt>failed</dt><dd><a href="#failed-test">test</a></dd>', "the failed tasks link to their output");
  t.match(html, '<section class="failure" id="failed-test">');
});

t.test("a run without failures has no failure section; a large one folds its graph", async (t) => {
  const tasks = Array.from({ length: 300 }, (_, i) => ({ name: `t${i}`, state: "ok" as const, deps: [], start: i, end: i + 1, duration: 1 }));
  const html = reportHtml({ ...record, state: "ok", tasks });
  t.notMatch(html, "Failed tasks");
  t.match(html, /<details><summary>300 tasks/);
});
