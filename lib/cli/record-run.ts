import type { Graph } from "../graph/graph.js";
import { createRecorder } from "../history/recorder.js";
import { gitRevision } from "../history/revision.js";
import { saveRecord } from "../history/store.js";
import type { MityEvent } from "../run/events.js";
import type { CliRequest } from "./args.js";

/** Options that change what a run does, as they would be typed again (param values and `--` words are left out: they may hold secrets). */
export function askedOptions(request: CliRequest): string[] {
  const options: [boolean, string][] = [
    [request.hook !== undefined, `--hook ${request.hook}`],
    [request.parallel, "--parallel"],
    [request.concurrency !== undefined, `-j${request.concurrency}`],
    [request.keepGoing, "--keep-going"],
    [request.failFast, "--fail-fast"],
    [request.force && !request.forceAll, "--force"],
    [request.forceAll, "--force-all"],
  ];
  return options.flatMap(([given, text]) => (given ? [text] : []));
}

/** Keeps a run in `.mity/runs/` once it ends: `sink` takes its events, `save()` writes it if a task started. */
export function recordRun(graph: Graph, names: readonly string[], request: CliRequest, runId: string, version: string, warn: (message: string) => void) {
  const recorder = createRecorder({
    id: runId,
    asked: { tasks: [...names], options: askedOptions(request) },
    version,
    tasks: graph.tasks,
    now: Date.now,
  });
  return {
    sink: (event: MityEvent) => recorder.sink(event),
    save: () => {
      // Read only now: a run that never starts a task costs nothing.
      const record = recorder.record(gitRevision(graph.root));
      if (!record) return;
      try {
        saveRecord(graph.root, record);
      } catch (error) {
        warn(`the run could not be kept in the history (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    },
  };
}
