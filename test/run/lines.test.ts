import t from "tap";
import { LineSplitter, MAX_LINE } from "../../lib/run/lines.js";

/** Feeds chunks to a splitter and returns the lines it gave, after end() when asked. */
function split(chunks: readonly string[], end = true): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  if (end) splitter.end();
  return lines;
}

t.test("cuts text into lines without their endings", async (t) => {
  const cases: [string, string[], string[]][] = [
    ["one line", ["hello\n"], ["hello"]],
    ["several in one chunk", ["a\nb\nc\n"], ["a", "b", "c"]],
    ["CRLF", ["a\r\nb\r\n"], ["a", "b"]],
    ["mixed endings", ["a\r\nb\nc\r\n"], ["a", "b", "c"]],
    ["empty lines kept", ["\n\nx\n\n"], ["", "", "x", ""]],
    ["a lone CR inside a line stays", ["50%\r100%\n"], ["50%\r100%"]],
    ["a line split over chunks", ["hel", "lo wo", "rld\n"], ["hello world"]],
    ["a newline in its own chunk", ["abc", "\n", "def", "\n"], ["abc", "def"]],
    ["CRLF split between chunks", ["a\r", "\nb\r", "\n"], ["a", "b"]],
    ["empty chunks change nothing", ["", "a", "", "\n", ""], ["a"]],
    ["multi-byte text whole in strings", ["héllo ✓ ", "日本語 🎉\n"], ["héllo ✓ 日本語 🎉"]],
    ["nothing", [], []],
  ];
  for (const [name, chunks, expected] of cases) t.strictSame(split(chunks), expected, name);
});

t.test("end() passes on what follows the last newline, once", async (t) => {
  t.strictSame(split(["a\nlast"], false), ["a"], "held back before end()");
  t.strictSame(split(["a\nlast"]), ["a", "last"]);
  t.strictSame(split(["no newline at all"]), ["no newline at all"]);
  t.strictSame(split(["a\nb\r"]), ["a", "b"], "a trailing CR is a line ending");
  t.strictSame(split(["a\n"]), ["a"], "no empty line after a final newline");
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.push("x");
  splitter.end();
  splitter.end();
  t.strictSame(lines, ["x"], "a second end() adds nothing");
  splitter.push("y\n");
  t.strictSame(lines, ["x", "y"], "usable again after end()");
});

t.test("a 1 MB line without a newline is passed on in 64 KiB pieces", async (t) => {
  t.equal(MAX_LINE, 65536);
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.push("x".repeat(1_000_000));
  t.equal(lines.length, 15, "whole pieces go at once, memory stays bounded");
  t.ok(lines.every((line) => line.length === MAX_LINE));
  splitter.push("\nnext\n");
  t.equal(lines.length, 17);
  t.equal(lines[15], "x".repeat(1_000_000 - 15 * MAX_LINE));
  t.equal(lines[16], "next");
  t.equal(lines.join("").length, 1_000_000 + 4);
});

t.test("a long line built from many small chunks is cut the same way", async (t) => {
  const chunks = Array.from({ length: 100 }, () => "y".repeat(2000));
  const lines = split(chunks);
  t.strictSame(lines.map((line) => line.length), [MAX_LINE, MAX_LINE, MAX_LINE, 200_000 - 3 * MAX_LINE]);
});

t.test("a line of exactly 64 KiB is kept whole", async (t) => {
  t.strictSame(split(["z".repeat(MAX_LINE), "\n"]).map((line) => line.length), [MAX_LINE]);
  t.strictSame(split(["z".repeat(MAX_LINE) + "\n"]).map((line) => line.length), [MAX_LINE]);
});

t.test("a cut never leaves an extra line or half a character", async (t) => {
  const crlf = split(["c".repeat(MAX_LINE) + "\r", "\nafter\n"]);
  t.strictSame(crlf, ["c".repeat(MAX_LINE), "after"], "CRLF right after a cut", {
  });
  const emoji = split(["e".repeat(MAX_LINE - 1) + "🎉tail"]);
  t.equal(emoji.join(""), "e".repeat(MAX_LINE - 1) + "🎉tail", "all text is kept");
  t.ok(emoji.every((line) => !/[\uD800-\uDBFF]$/.test(line)), "no piece ends with half a surrogate pair", {
  });
});
