import { writeFile } from "node:fs/promises";
import type { Graph } from "../graph/graph.js";
import type { MityEvent } from "../run/events.js";
import { Lanes } from "./lanes.js";

/** One entry of Chrome's trace-event format (the JSON object format's `traceEvents`); times in microseconds. */
export interface TraceEvent {
  name: string;
  ph: "X" | "M" | "i";
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: "t";
  args?: Record<string, unknown>;
}

/** What pooled and retried tasks' events may carry besides the common fields. */
type Placement = { pool?: string; worker?: string; attempt?: number };

/** The three processes of the file: tasks on this machine's slots, tasks on workers, and waits. */
const SLOTS = 1;
const WORKERS = 2;
const WAITS = 3;

const US = 1000;

/**
 * Records a run's events for `--profile`: each task attempt as a complete event on the track of the
 * slot (or worker) it ran on, and the time between its deps ending and its start as a wait of its own.
 */
export class ProfileRecorder {
  readonly #events: TraceEvent[] = [];
  readonly #slots = new Lanes();
  readonly #waits = new Lanes();
  readonly #workers = new Map<string, number>();
  readonly #running = new Map<string, { time: number; tid: number; pid: number; attempt?: number | undefined }>();
  /** When each task ended: its dependents are ready from then on. */
  readonly #ended = new Map<string, number>();

  /** How many tasks held a slot from each time on, in time order: whether a task that was ready found one free. */
  readonly #occupancy: { time: number; busy: number }[] = [{ time: 0, busy: 0 }];

  constructor(
    readonly graph: Pick<Graph, "tasks">,
    readonly title: string,
    readonly concurrency: number,
  ) {}

  readonly sink = (event: MityEvent): void => {
    if (event.event === "start") this.#start(event);
    else if (event.event === "end") this.#end(event);
    else if (event.event === "command") {
      const running = this.#running.get(event.task);
      if (running) this.#events.push({ name: "command", cat: "command", ph: "i", s: "t", ts: event.time * US, pid: running.pid, tid: running.tid, args: { task: event.task, command: event.command } });
    }
  };

  #start(event: MityEvent & { event: "start" } & Placement): void {
    // Another attempt of a task whose last one had no end of its own: that one ended now.
    if (this.#running.has(event.task)) this.#end({ event: "end", task: event.task, state: "failed", duration: 0, reason: "retried", time: event.time });
    else this.#wait(event.task, event.time, event.pool);
    let pid = SLOTS;
    let tid: number;
    if (event.worker !== undefined) {
      pid = WORKERS;
      tid = this.#workers.get(event.worker) ?? this.#workers.size + 1;
      this.#workers.set(event.worker, tid);
    } else {
      tid = this.#slots.take(event.time);
      this.#occupied(event.time, 1);
    }
    this.#running.set(event.task, { time: event.time, tid, pid, attempt: event.attempt });
  }

  /** The wait between a task's deps being done and its start: for a slot, its lock, the terminal or a worker. */
  #wait(task: string, start: number, pool: string | undefined): void {
    const node = this.graph.tasks.get(task);
    let ready = 0;
    for (const dep of node?.deps ?? []) ready = Math.max(ready, this.#ended.get(dep) ?? 0);
    if (start <= ready) return;
    const what = pool !== undefined ? `a worker of pool "${pool}"` : node?.lock !== undefined ? `a slot or lock "${node.lock}"` : node?.interactive ? "the terminal" : "a slot";
    // A task that never found every slot taken was not waiting for one: the gap is the scheduler's own work.
    if (what === "a slot" && this.#mostBusy(ready, start) < this.concurrency) return;
    const tid = this.#waits.take(ready);
    this.#waits.free(tid, start);
    this.#events.push({ name: `${task} waits for ${what}`, cat: "wait", ph: "X", ts: ready * US, dur: (start - ready) * US, pid: WAITS, tid, args: { task } });
  }

  #occupied(time: number, change: 1 | -1): void {
    const last = this.#occupancy[this.#occupancy.length - 1]!;
    if (last.time === time) last.busy += change;
    else this.#occupancy.push({ time, busy: last.busy + change });
  }

  /** The most slots held at once from `from` until `to` (a binary search for the start: events come in time order). */
  #mostBusy(from: number, to: number): number {
    let low = 0;
    let high = this.#occupancy.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#occupancy[middle]!.time <= from) low = middle;
      else high = middle - 1;
    }
    let most = 0;
    for (let i = low; i < this.#occupancy.length && this.#occupancy[i]!.time < to; i++) most = Math.max(most, this.#occupancy[i]!.busy);
    return most;
  }

  #end(event: MityEvent & { event: "end" } & Placement): void {
    this.#ended.set(event.task, event.time);
    const running = this.#running.get(event.task);
    if (!running) return;
    this.#running.delete(event.task);
    if (running.pid === SLOTS) {
      this.#slots.free(running.tid, event.time);
      this.#occupied(event.time, -1);
    }
    const args: Record<string, unknown> = { state: event.state };
    if (event.exitCode !== undefined) args.exitCode = event.exitCode;
    if (event.reason !== undefined) args.reason = event.reason;
    if (running.attempt !== undefined) args.attempt = running.attempt;
    if (event.pool !== undefined) args.pool = event.pool;
    if (event.worker !== undefined) args.worker = event.worker;
    this.#events.push({ name: event.task, cat: `task,${event.state}`, ph: "X", ts: running.time * US, dur: (event.time - running.time) * US, pid: running.pid, tid: running.tid, args });
  }

  /** The whole file: the recorded events after the metadata that names the processes and their tracks. */
  toJSON(): { traceEvents: TraceEvent[]; displayTimeUnit: "ms" } {
    const meta: TraceEvent[] = [
      processName(SLOTS, `mity ${this.title}`),
      ...this.#slots.names().map((tid) => threadName(SLOTS, tid, `slot ${tid}`)),
    ];
    if (this.#workers.size > 0) meta.push(processName(WORKERS, "workers"), ...[...this.#workers].map(([worker, tid]) => threadName(WORKERS, tid, `worker ${worker}`)));
    if (this.#waits.names().length > 0) meta.push(processName(WAITS, "waiting"), ...this.#waits.names().map((tid) => threadName(WAITS, tid, `waiting ${tid}`)));
    return { traceEvents: [...meta, ...this.#events], displayTimeUnit: "ms" };
  }

  /** Writes the profile; resolves to why it could not be written, or undefined. */
  async write(file: string): Promise<string | undefined> {
    try {
      await writeFile(file, JSON.stringify(this));
      return undefined;
    } catch (error) {
      return `could not write the profile to ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    }
  }
}

const processName = (pid: number, name: string): TraceEvent => ({ name: "process_name", ph: "M", ts: 0, pid, tid: 0, args: { name } });
const threadName = (pid: number, tid: number, name: string): TraceEvent => ({ name: "thread_name", ph: "M", ts: 0, pid, tid, args: { name } });
