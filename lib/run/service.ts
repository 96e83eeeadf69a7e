import type { ServiceNode, TaskNode } from "../graph/graph.js";
import { formatDuration } from "../util/duration.js";
import type { MityEvent, ReadyEvent } from "./events.js";
import { logMatcher, waitForPort } from "./ready.js";
import { TaskStop } from "./stop.js";
import { doWork, type WorkContext, type WorkOutcome } from "./work.js";

/** Lines of a service's output kept to show when it dies: the last ones say why. */
const KEPT_LINES = 20;

/** A service that is ready and running on. */
interface Running {
  stop: TaskStop;
  ended: Promise<WorkOutcome>;
  /** Set once the run stops it: its last lines are not news. */
  quiet: boolean;
  tail: string[];
}

/**
 * Runs `service: true` tasks: a service's command starts like any task's, but its outcome ("ok", so its
 * dependents start) comes when it is ready, while it runs on. It is stopped once every task of the run
 * that depends on it has ended (`observe` sees their `end` events), and by `stopAll` at the end of the
 * run. One that exits while a dependent still needs it is told to `onDied`.
 */
export class Services {
  /** Each service of the plan: how many of its dependents have not ended yet. */
  readonly #needed = new Map<string, number>();
  /** Each task of the plan that depends on a service: those services. */
  readonly #uses = new Map<string, string[]>();
  readonly #running = new Map<string, Running>();

  /** Its work takes one of the run's slots until it is ready, like any local task. */
  readonly local = true;

  constructor(
    plan: readonly TaskNode[],
    /** Told why, and which tasks still running needed the service (set by each run when services outlive runs). */
    public onDied: (message: string, dependents: readonly string[]) => void,
    /** Watch mode: services stay up across runs, until their own inputs change or the watch ends. */
    private readonly keep = false,
  ) {
    const services = new Set(plan.filter((task) => task.service).map((task) => task.name));
    for (const task of plan) {
      const uses = task.deps.filter((dep) => services.has(dep));
      if (uses.length === 0) continue;
      this.#uses.set(task.name, uses);
      for (const service of uses) this.#needed.set(service, (this.#needed.get(service) ?? 0) + 1);
    }
  }

  /** Whether the plan has a service at all (a run without one needs none of this). */
  static needed(plan: readonly TaskNode[]): boolean {
    return plan.some((task) => task.service !== undefined);
  }

  /** The run's events: a dependent's end may leave a service unneeded. */
  observe(event: MityEvent): void {
    if (event.event !== "end" || this.keep) return;
    for (const service of this.#uses.get(event.task) ?? []) {
      const left = this.#needed.get(service)! - 1;
      this.#needed.set(service, left);
      if (left === 0) void this.#stop(service);
    }
  }

  /** Stops every service still running (the end of the run); resolves once their processes are gone. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((name) => this.#stop(name)));
  }

  /** Whether a service is up (ready and running on). */
  isUp(name: string): boolean {
    return this.#running.has(name);
  }

  /** Starts a service (one already up is stopped first: it runs again for a reason); resolves when it is ready ("ok"), or how it failed to be. */
  run(task: TaskNode, context: WorkContext, stop: TaskStop, attempt = 1): Promise<WorkOutcome> {
    if (this.#running.has(task.name)) return this.#stop(task.name).then(() => this.#start(task, context, stop, attempt));
    return this.#start(task, context, stop, attempt);
  }

  #start(task: TaskNode, context: WorkContext, stop: TaskStop, attempt: number): Promise<WorkOutcome> {
    const service = task.service!;
    const own = new TaskStop();
    // Until it is ready the service is the run's running task: stopping that stops it.
    const forget = stop.onStop(() => own.stop(stop.cause!, stop.reason));
    const tail: string[] = [];
    const matches = service.ready && "log" in service.ready ? logMatcher(service.ready.log) : undefined;
    let running: Running | undefined;
    let becameReady: (event: Omit<ReadyEvent, "time">) => void;
    const ready = new Promise<Omit<ReadyEvent, "time">>((resolve) => (becameReady = resolve));
    const work: WorkContext = {
      ...context,
      emit: (event) => {
        if (event.event === "output" && event.task === task.name) {
          tail.push(event.line);
          if (tail.length > KEPT_LINES) tail.shift();
          if (matches?.(event.line)) becameReady({ event: "ready", task: task.name, by: "log", detail: event.line });
          if (running?.quiet) return;
        } else if (event.event === "chunk" && running?.quiet) return;
        context.emit(event);
      },
    };
    const started = context.now();
    const ended = Promise.resolve(doWork(task, work, own, attempt));
    const probe = new AbortController();
    void ended.finally(() => probe.abort());
    if (service.ready && "port" in service.ready) {
      const { host, port } = service.ready;
      void waitForPort(host, port, probe.signal).then((open) => open && becameReady({ event: "ready", task: task.name, by: "port", detail: `${host}:${port}` }));
    }
    if (!service.ready) becameReady!({ event: "ready", task: task.name, by: "log", detail: "(started)" });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      own.stop("cancelled");
    }, service.timeout);
    const settle = () => {
      clearTimeout(timer);
      probe.abort();
      forget();
    };
    let wasReady = false;
    const isReady = ready.then((event): WorkOutcome | Promise<WorkOutcome> => {
      wasReady = true;
      settle();
      context.emit({ ...event, time: context.now() } as ReadyEvent);
      // Nothing in the run depends on it: it was asked for itself, and runs until it ends or is stopped.
      if (!this.#needed.get(task.name) && !this.keep) return ended;
      running = { stop: own, ended, quiet: false, tail };
      this.#running.set(task.name, running);
      void ended.then((outcome) => this.#ended(task.name, outcome));
      return { state: "ok", duration: context.now() - started };
    });
    const notReady = ended.then((outcome): WorkOutcome => {
      settle();
      // Asked for by itself and ready before it ended: its own end is its outcome.
      if (wasReady) return outcome;
      if (timedOut) return { ...outcome, state: "failed", reason: `not ready after ${formatDuration(service.timeout)}: ${waitedFor(service)}` };
      if (outcome.state !== "ok") return outcome;
      return { ...outcome, state: "failed", reason: `exited before it was ready (${waitedFor(service)})` };
    });
    return Promise.race([isReady, notReady]);
  }

  #stop(name: string): Promise<unknown> {
    const running = this.#running.get(name);
    if (!running) return Promise.resolve();
    running.quiet = true;
    running.stop.stop("cancelled");
    return running.ended;
  }

  /** A ready service's process ended: news only when the run did not stop it and something still needs it. */
  #ended(name: string, outcome: WorkOutcome): void {
    const running = this.#running.get(name)!;
    this.#running.delete(name);
    if (running.quiet || (!this.#needed.get(name) && !this.keep)) return;
    const how = outcome.exitCode === undefined ? outcome.reason ?? outcome.state : `exit code ${outcome.exitCode}`;
    const shown = running.tail.length > 0 ? `; its last output:\n${running.tail.join("\n")}` : " (no output)";
    const dependents = [...this.#uses].filter(([, services]) => services.includes(name)).map(([dependent]) => dependent);
    this.onDied(`service "${name}" stopped (${how}) while tasks that depend on it still ran${shown}`, dependents);
  }
}

/** What readiness was waited for, in words. */
function waitedFor(service: ServiceNode): string {
  if (!service.ready) return "it was to be ready once started";
  return "log" in service.ready ? `no line of its output matched ${String(service.ready.log)}` : `nothing took connections on ${service.ready.host}:${service.ready.port}`;
}
