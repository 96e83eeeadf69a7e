import t from "tap";
import { formatDuration, parseDuration } from "../../lib/util/duration.js";

t.test("parseDuration: numbers are milliseconds, strings take a unit", async (t) => {
  const cases: [number | string, number | undefined][] = [
    [1500, 1500],
    [0.5, 0.5],
    ["1500", 1500],
    ["1500ms", 1500],
    ["90s", 90_000],
    ["5m", 300_000],
    ["1.5h", 5_400_000],
    ["2.5s", 2500],
    [" 90 s ", 90_000],
    ["0", undefined],
    ["0s", undefined],
    [0, undefined],
    [-5, undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ["", undefined],
    ["   ", undefined],
    ["-5s", undefined],
    ["5 minutes", undefined],
    ["5M", undefined],
    ["1d", undefined],
    ["1e3", undefined],
    [".5s", undefined],
    ["5s5", undefined],
    ["fast", undefined],
  ];
  for (const [input, expected] of cases) t.equal(parseDuration(input), expected, JSON.stringify(input));
});

t.test("formatDuration: ms under a second, seconds with two decimals, then minutes and seconds", async (t) => {
  const cases: [number, string][] = [
    [0, "0ms"],
    [7, "7ms"],
    [840, "840ms"],
    [999, "999ms"],
    [1000, "1.00s"],
    [1240, "1.24s"],
    [59_000, "59.00s"],
    [60_000, "1m00s"],
    [125_000, "2m05s"],
    [3_600_000, "60m00s"],
  ];
  for (const [ms, expected] of cases) t.equal(formatDuration(ms), expected, String(ms));
});

t.test("formatDuration: rounding up carries into the next unit", async (t) => {
  t.equal(formatDuration(59_999), "1m00s", "59999");
  t.equal(formatDuration(119_500), "2m00s", "119500");
  t.equal(formatDuration(179_999), "3m00s", "179999");
});
