import { load } from "../api.js";
import type { Graph } from "../graph/graph.js";
import { resolveRequested, selectTasks } from "../graph/plan.js";
import type { ChangeEvent } from "../run/events.js";
import { WatchLoop, type Round, type RoundHandle } from "../watch/loop.js";
import { openWatcher } from "../watch/watcher.js";
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
      run: (graph, round) => runRound(job, graph, round),
    });
    if (signals?.interrupt.aborted) return EXIT[signals.received()!];
    await loop.start();
    return EXIT[signals?.received() ?? "SIGINT"];
  } finally {
    signals?.dispose();
  }
}

/** One run of the watch, through the same runner as a plain run; unaffected tasks are passed over. */
function runRound(job: RunRequest, graph: Graph, round: Round): RoundHandle {
  // Params belong to the tasks named on the command line: a round that reruns fewer keeps only theirs.
  const params = Object.fromEntries(Object.entries(job.params).filter(([name]) => round.names.includes(resolveRequested(graph, [name])[0]!)));
  const unaffected = new Set(round.unaffected);
  const skip = (task: { name: string }) => (unaffected.has(task.name) ? "not affected by the change" : undefined);
  let control: Parameters<NonNullable<RunRequest["onStart"]>>[0] | undefined;
  const done = runTasks({ ...job, graph, params, names: [...round.names], skip, onStart: (run) => (control = run), ...(round.change ? { changed: round.change } : {}) });
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
