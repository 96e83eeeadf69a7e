import { load } from "../api.js";
import type { Graph } from "../graph/graph.js";
import { resolveRequested, selectTasks } from "../graph/plan.js";
import type { ChangeEvent } from "../run/events.js";
import { WatchLoop, type Round, type RoundHandle } from "../watch/loop.js";
import { openWatcher } from "../watch/watcher.js";
import type { Services } from "../run/service.js";
import { isMityError } from "../util/errors.js";
import { EXIT } from "./io.js";
import { runTasks, type RunRequest } from "./run-tasks.js";
import { watchSignals } from "./signals.js";

/** How long a burst of changes must be quiet before the rerun: one save often writes a file twice. */
const QUIET_MS = 100;

/**
 * `mity --watch <task...>`: runs the tasks, then again for each change to their inputs or to the
 * mityfiles, until Ctrl-C (exit 130) or SIGTERM (143). A failing run does not end the watch.
 */
export async function watchCommand(job: RunRequest): Promise<number> {
  const { io, request } = job;
  const quiet = request.verbosity === "silent";
  const say = (line: string) => {
    if (!quiet) io.stderr.write(`mity: ${line}\n`);
  };
  let loop: WatchLoop | undefined;
  const kept = new KeptServices(say);
  // The watch's own ears: between runs no run listens, and a run's signal ends the watch as well.
  const signals = io.signals ? watchSignals(io.signals, () => void loop?.stop()) : undefined;
  try {
    loop = new WatchLoop({
      graph: job.graph,
      requested: job.names,
      quietMs: QUIET_MS,
      say,
      reload: () => load({ mityfile: job.graph.file, env: io.env }),
      watch: (targets, onPath) => openWatcher(targets, onPath, (error) => say(`the watcher failed: ${String(error)}`)),
      // A run that cannot start (a task's param no longer valid, a confirm nobody can answer) is told; the watch goes on.
      run: (graph, round) => {
        const handle = runRound(job, graph, round, kept);
        return { ...handle, done: handle.done.catch((error: unknown) => say(isMityError(error) ? error.describe() : String(error))) };
      },
    });
    if (signals?.interrupt.aborted) return EXIT[signals.received()!];
    await loop.start();
    return EXIT[signals?.received() ?? "SIGINT"];
  } finally {
    await kept.stop();
    signals?.dispose();
  }
}

/** Services stay up from one run of the watch to the next, until their own inputs or the mityfile change. */
class KeptServices {
  #graph: Graph | undefined;
  #services: Services | undefined;

  constructor(private readonly say: (line: string) => void) {}

  /** The services of `graph`'s selection, up or to be started; those of an earlier graph are stopped first. */
  async for(graph: Graph, names: readonly string[]): Promise<Services | undefined> {
    if (this.#graph === graph) return this.#services;
    await this.stop();
    this.#graph = graph;
    const selection = selectTasks(graph, names);
    if (!selection.some((task) => task.service)) return undefined;
    const { Services } = await import("../run/service.js");
    return (this.#services = new Services(selection, (message) => this.say(message), true));
  }

  async stop(): Promise<void> {
    await this.#services?.stopAll();
    this.#services = undefined;
  }
}

/** One run of the watch, through the same runner as a plain run; unaffected tasks are passed over. */
function runRound(job: RunRequest, graph: Graph, round: Round, kept: KeptServices): RoundHandle {
  // Params belong to the tasks named on the command line: a round that reruns fewer keeps only theirs.
  const params = Object.fromEntries(Object.entries(job.params).filter(([name]) => round.names.includes(resolveRequested(graph, [name])[0]!)));
  const unaffected = new Set(round.unaffected);
  const skip = (task: { name: string }) => (unaffected.has(task.name) ? "not affected by the change" : undefined);
  let control: Parameters<NonNullable<RunRequest["onStart"]>>[0] | undefined;
  const done = (async () => {
    const services = await kept.for(graph, job.names);
    // A service left alone must still be up: one that died since runs again.
    for (const name of unaffected) if (graph.tasks.get(name)?.service && !services?.isUp(name)) unaffected.delete(name);
    return runTasks({ ...job, graph, params, names: [...round.names], skip, onStart: (run) => (control = run), ...(services ? { services } : {}), ...(round.change ? { changed: round.change } : {}) });
  })();
  const inRound = new Set(selectTasks(graph, round.names).map((task) => task.name));
  const restart = (names: readonly string[], change: ChangeEvent): readonly string[] => {
    const here = names.filter((name) => inRound.has(name));
    if (here.length === 0 || !control) return names;
    for (const name of here) unaffected.delete(name);
    if (!control.restart(here, `${change.paths.join(", ")} changed`)) return names;
    control.report({ ...change, tasks: here });
    return names.filter((name) => !inRound.has(name));
  };
  return { done, restart };
}
