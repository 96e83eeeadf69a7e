// Checked by `npm run lint` (tsc): each @ts-expect-error line must be an error, or the check fails.
import type { RunOptions } from "../../lib/api.js";
import type { OUTPUT_MODES, OutputMode, REPORTERS, ReporterMode } from "../../lib/report/choose.js";
import type { EventHandlers } from "../../lib/report/reporter.js";
import type { ChunkEvent, MityEvent } from "../../lib/run/events.js";

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_proof: T): void => {};

// The modes are the table's keys, and the library and the command line take exactly those.
expectType<Equal<ReporterMode, keyof typeof REPORTERS>>(true);
expectType<Equal<OutputMode, "auto" | keyof typeof REPORTERS>>(true);
expectType<Equal<NonNullable<RunOptions["output"]>, ReporterMode>>(true);
expectType<Equal<(typeof OUTPUT_MODES)[number], OutputMode>>(true);

// @ts-expect-error a mode that is not in the table
export const loud: OutputMode = "loud";
// @ts-expect-error the library takes a mode that has a reporter, not `auto`
export const auto: RunOptions = { output: "auto" };

const nothing = (): void => {};

// A reporter's table names every kind of event.
export const complete: EventHandlers = { start: nothing, command: nothing, output: nothing, chunk: nothing, end: nothing, ready: nothing, change: nothing, summary: nothing };
// @ts-expect-error a kind of event left out does not compile
export const missing: EventHandlers = { start: nothing, command: nothing, output: nothing, end: nothing, ready: nothing, change: nothing, summary: nothing };
// @ts-expect-error a kind that no event has
export const extra: EventHandlers = { ...complete, finish: nothing };
// Each handler is given its own kind of event.
export const typed: EventHandlers = { ...complete, chunk: (event: ChunkEvent) => void event.data };
// @ts-expect-error a handler of one kind does not take another kind's event
export const wrong: EventHandlers = { ...complete, output: (event: ChunkEvent) => void event.data };
// A new kind of event (here, one more in the union) leaves every existing table short.
type Grown = MityEvent | { event: "paused"; task: string };
type GrownHandlers = { [K in Grown["event"]]: (event: Extract<Grown, { event: K }>) => void };
// @ts-expect-error a table written for today's events does not handle the new kind
export const stale: GrownHandlers = complete;
