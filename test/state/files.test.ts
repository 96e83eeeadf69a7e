import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import t from "tap";
import { fileChange, type FileEntry, type FileTable } from "../../lib/state/files.js";
import { scanPatterns } from "../../lib/state/scan.js";
import type { Test } from "../helpers/fixtures.js";
import { tempTree, writeTreeFile } from "../helpers/mity.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** Real files under the system temp folder, removed after the test. */
const tree = (t: Test, files: Record<string, string>): string => tempTree(t, files);
const write = writeTreeFile;

/** Sets a file's modification time to an exact instant (ms), as a restore from backup or a checkout could. */
const setMtime = (path: string, ms: number) => utimesSync(path, new Date(ms), new Date(ms));

/** The scan of a task's inputs, as the up-to-date check makes it. */
const scanFiles = (cwd: string, patterns: readonly string[], previous?: FileTable) => scanPatterns("inputs", cwd, patterns, previous);

const entry = (hash: string, size = 1, mtimeMs = 1): FileEntry => ({ size, mtimeMs, hash });

t.test("scanFiles fingerprints each matched file by content, keyed by its path relative to cwd", async (t) => {
  const root = tree(t, { "src/a.txt": "alpha", "src/deep/b.txt": "beta!", "src/c.md": "not matched" });
  const scan = await scanFiles(root, ["src/**/*.txt"]);
  t.strictSame(Object.keys(scan.files).sort(), ["src/a.txt", "src/deep/b.txt"]);
  const a = scan.files["src/a.txt"]!;
  t.equal(a.hash, sha("alpha"));
  t.equal(a.size, 5);
  t.equal(a.mtimeMs, statSync(join(root, "src/a.txt")).mtimeMs);
  t.equal(scan.files["src/deep/b.txt"]!.hash, sha("beta!"));
  t.strictSame(scan.empty, []);
});

t.test("patterns are relative to the cwd given, and may reach its parent", async (t) => {
  const root = tree(t, { "pkg/own.txt": "own", "shared/common.txt": "common" });
  const scan = await scanFiles(join(root, "pkg"), ["*.txt", "../shared/*.txt"]);
  t.strictSame(Object.keys(scan.files).sort(), ["../shared/common.txt", "own.txt"]);
});

t.test("a `!` pattern excludes what it matches from every other pattern", async (t) => {
  const root = tree(t, {
    "src/a.ts": "a",
    "src/a.test.ts": "test",
    "src/gen/b.ts": "generated",
    "lib/c.ts": "c",
    "lib/c.test.ts": "test",
  });
  const scan = await scanFiles(root, ["src/**/*.ts", "lib/*.ts", "!**/*.test.ts", "!src/gen/**"]);
  t.strictSame(Object.keys(scan.files).sort(), ["lib/c.ts", "src/a.ts"]);
  t.strictSame(scan.empty, []);
});

t.test("an exclusion works wherever it is listed, before or after what it excludes from", async (t) => {
  const root = tree(t, { "a.txt": "a", "b.txt": "b" });
  const before = await scanFiles(root, ["!b.txt", "*.txt"]);
  const after = await scanFiles(root, ["*.txt", "!b.txt"]);
  t.strictSame(Object.keys(before.files), ["a.txt"]);
  t.strictSame(Object.keys(after.files), ["a.txt"]);
});

t.test("patterns that match no file are listed as empty; one whose every match is excluded too", async (t) => {
  const root = tree(t, { "src/a.txt": "a", "src/b.log": "b" });
  const scan = await scanFiles(root, ["src/*.txt", "docs/**/*.md", "src/*.log", "!src/*.log"]);
  t.strictSame(Object.keys(scan.files), ["src/a.txt"]);
  t.strictSame(scan.empty, ["docs/**/*.md", "src/*.log"]);
});

t.test("globs match files only: a directory's bare name matches nothing", async (t) => {
  const root = tree(t, { "src/a.txt": "a" });
  const scan = await scanFiles(root, ["src"]);
  t.strictSame(scan.files, {});
  t.strictSame(scan.empty, ["src"]);
});

t.test("dot files are matched like any other", async (t) => {
  const root = tree(t, { ".eslintrc.json": "{}", "config/.env.example": "A=1", "package.json": "{}" });
  const scan = await scanFiles(root, ["**/*"]);
  t.strictSame(Object.keys(scan.files).sort(), [".eslintrc.json", "config/.env.example", "package.json"]);
});

t.test("a file matched by several patterns is listed once", async (t) => {
  const root = tree(t, { "src/a.ts": "a" });
  const scan = await scanFiles(root, ["src/*.ts", "src/**/*", "**/a.ts"]);
  t.strictSame(Object.keys(scan.files), ["src/a.ts"]);
  t.strictSame(scan.empty, []);
});

t.test("no patterns: no files and nothing empty", async (t) => {
  const root = tree(t, { "a.txt": "a" });
  t.strictSame(await scanFiles(root, []), { files: {}, empty: [], problems: [] });
});

t.test("fast path: a file whose size and mtime are as recorded keeps the recorded hash, unread", async (t) => {
  const root = tree(t, { "a.txt": "alpha" });
  const stat = statSync(join(root, "a.txt"));
  // A hash no content could have: it survives only if the file was not read.
  const previous: FileTable = { "a.txt": { size: stat.size, mtimeMs: stat.mtimeMs, hash: "recorded-not-read" } };
  const scan = await scanFiles(root, ["*.txt"], previous);
  t.equal(scan.files["a.txt"]!.hash, "recorded-not-read");
});

t.test("fast path trade-off: same size, content changed, mtime put back: the change is not seen", async (t) => {
  const root = tree(t, { "a.txt": "alpha" });
  const path = join(root, "a.txt");
  setMtime(path, 1_700_000_000_000);
  const first = await scanFiles(root, ["a.txt"]);
  writeFileSync(path, "omega");
  setMtime(path, 1_700_000_000_000);
  const second = await scanFiles(root, ["a.txt"], first.files);
  t.equal(second.files["a.txt"]!.hash, sha("alpha"), "the recorded hash is kept: size+mtime is trusted");
  t.equal(fileChange("input", first.files, second.files, true), undefined);
});

t.test("a content change with a different mtime is seen, even at the same size", async (t) => {
  const root = tree(t, { "a.txt": "alpha" });
  const path = join(root, "a.txt");
  setMtime(path, 1_700_000_000_000);
  const first = await scanFiles(root, ["a.txt"]);
  writeFileSync(path, "omega");
  setMtime(path, 1_700_000_000_001);
  const second = await scanFiles(root, ["a.txt"], first.files);
  t.equal(second.files["a.txt"]!.hash, sha("omega"));
  t.equal(second.files["a.txt"]!.mtimeMs, statSync(path).mtimeMs);
  t.equal(fileChange("input", first.files, second.files, true), "input a.txt changed");
});

t.test("a content change with the same mtime but another size is seen", async (t) => {
  const root = tree(t, { "a.txt": "alpha" });
  const path = join(root, "a.txt");
  setMtime(path, 1_700_000_000_000);
  const first = await scanFiles(root, ["a.txt"]);
  writeFileSync(path, "alphabet");
  setMtime(path, 1_700_000_000_000);
  const second = await scanFiles(root, ["a.txt"], first.files);
  t.equal(second.files["a.txt"]!.hash, sha("alphabet"));
  t.equal(second.files["a.txt"]!.size, 8);
});

t.test("a touched file is read again, and the same content gives the same hash", async (t) => {
  const root = tree(t, { "a.txt": "alpha" });
  const path = join(root, "a.txt");
  setMtime(path, 1_700_000_000_000);
  const first = await scanFiles(root, ["a.txt"]);
  setMtime(path, 1_700_000_500_000);
  const second = await scanFiles(root, ["a.txt"], first.files);
  t.equal(second.files["a.txt"]!.mtimeMs, statSync(path).mtimeMs, "the new mtime is recorded");
  t.not(second.files["a.txt"]!.mtimeMs, first.files["a.txt"]!.mtimeMs);
  t.equal(second.files["a.txt"]!.hash, first.files["a.txt"]!.hash);
  t.equal(fileChange("input", first.files, second.files, true), undefined);
});

t.test("recorded entries of files that are gone or no longer matched are not carried over", async (t) => {
  const root = tree(t, { "a.txt": "a", "b.txt": "b" });
  const first = await scanFiles(root, ["*.txt"]);
  unlinkSync(join(root, "b.txt"));
  const second = await scanFiles(root, ["*.txt"], first.files);
  t.strictSame(Object.keys(second.files), ["a.txt"]);
  const narrowed = await scanFiles(root, ["x*.txt"], first.files);
  t.strictSame(narrowed, { files: {}, empty: ["x*.txt"], problems: [] });
});

t.test("fileChange: the same contents are no change, whatever the sizes and times say", async (t) => {
  const before = { "a.txt": entry("h1", 1, 10), "b.txt": entry("h2", 2, 20) };
  const now = { "b.txt": entry("h2", 9, 99), "a.txt": entry("h1", 8, 88) };
  t.equal(fileChange("input", before, now, true), undefined);
  t.equal(fileChange("output", before, now, false), undefined);
  t.equal(fileChange("input", {}, {}, true), undefined);
});

t.test("fileChange: the wording of each kind of change", async (t) => {
  const before = { "a.txt": entry("h1") };
  t.equal(fileChange("input", before, { "a.txt": entry("h9") }, true), "input a.txt changed");
  t.equal(fileChange("output", before, { "a.txt": entry("h9") }, false), "output a.txt changed");
  t.equal(fileChange("input", before, {}, true), "input a.txt was removed");
  t.equal(fileChange("output", before, {}, false), "output a.txt is missing");
  t.equal(fileChange("input", before, { "a.txt": entry("h1"), "b.txt": entry("h2") }, true), "input b.txt is new");
});

t.test("fileChange: a new file counts only when asked (inputs yes, outputs no)", async (t) => {
  const before = { "a.txt": entry("h1") };
  const now = { "a.txt": entry("h1"), "extra.log": entry("h2") };
  t.equal(fileChange("input", before, now, true), "input extra.log is new");
  t.equal(fileChange("output", before, now, false), undefined);
});

t.test("fileChange: the first difference in recorded order, and a change or removal before a new file", async (t) => {
  const before = { "a.txt": entry("h1"), "b.txt": entry("h2"), "c.txt": entry("h3") };
  t.equal(fileChange("input", before, { "a.txt": entry("h1"), "b.txt": entry("x"), "c.txt": entry("y") }, true), "input b.txt changed");
  t.equal(fileChange("input", before, { "0.txt": entry("n"), "a.txt": entry("h1"), "b.txt": entry("h2") }, true), "input c.txt was removed");
  t.equal(fileChange("input", before, { "0.txt": entry("n"), "a.txt": entry("h1"), "b.txt": entry("h2"), "c.txt": entry("h3") }, true), "input 0.txt is new");
});
