import t from "tap";
import type { RunOptions } from "../../lib/api.js";
import type { CliRequest } from "../../lib/cli/args.js";
import type { ScheduleOptions } from "../../lib/run/scheduler.js";
import { givenSettings, runSettings, SETTING_NAMES, type RunSettings } from "../../lib/run/settings.js";
import type { WorkContext } from "../../lib/run/work.js";
import { MityError } from "../../lib/util/errors.js";

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_proof: T): void => {};

// Checked by `npm run lint`: the settings are written once, and every layer takes its type from there.
expectType<Equal<(typeof SETTING_NAMES)[number], keyof RunSettings>>(true);
expectType<Equal<Pick<ScheduleOptions, keyof RunSettings>, RunSettings>>(true);
expectType<Equal<Pick<WorkContext, "graceMs" | "args">, Pick<RunSettings, "graceMs" | "args">>>(true);
expectType<Equal<RunOptions["graceMs"], number | undefined>>(true);
expectType<Equal<CliRequest["graceMs"], number | undefined>>(true);
expectType<Equal<CliRequest["parallel"], boolean>>(true);

t.test("defaults are applied once: what is left out, or undefined, takes its default", async (t) => {
  t.strictSame(runSettings({}, 8), { parallel: false, concurrency: 8, keepGoing: false, failFast: false, graceMs: 5000, args: [] });
  t.strictSame(runSettings({ concurrency: undefined, graceMs: 0, parallel: true, args: ["x"] }, 2), { parallel: true, concurrency: 2, keepGoing: false, failFast: false, graceMs: 0, args: ["x"] });
});

t.test("a concurrency or grace that cannot be is refused with the value named", async (t) => {
  for (const concurrency of [0, 1.5, -2, Number.NaN]) t.throws(() => runSettings({ concurrency }, 4), MityError, `concurrency ${concurrency}`);
  t.throws(() => runSettings({ graceMs: -1 }, 4), { message: "graceMs must be a number of milliseconds, 0 or more, not -1" });
});

t.test("the settings of a larger object are taken by name, and nothing else", async (t) => {
  const request = { parallel: true, concurrency: undefined, keepGoing: false, failFast: true, graceMs: 2000, args: ["a"], tasks: ["build"], list: false };
  t.strictSame(givenSettings(request), { parallel: true, concurrency: undefined, keepGoing: false, failFast: true, graceMs: 2000, args: ["a"] });
});
