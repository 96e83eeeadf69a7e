import type { MityEvent } from "../run/events.js";
import { createRecorder, type RecorderOptions } from "./recorder.js";
import { gitRevision } from "./revision.js";
import type { RunRecord } from "./run-record.js";
import { saveRecord } from "./store.js";

export interface RecordRunOptions {
  /** The project's root folder: the record goes to its `.mity/runs/`. */
  root: string;
  tasks: RecorderOptions["tasks"];
  id: string;
  asked: RunRecord["asked"];
  version: string;
  /** The wall clock, ms since the epoch. */
  now: () => number;
  warn: (message: string) => void;
}

/** Keeps a run in `.mity/runs/` once it ends: `sink` takes its events, `save()` writes it if a task started. */
export function recordRun(options: RecordRunOptions): { sink: (event: MityEvent) => void; save: () => void } {
  const { root, id, asked, version, now } = options;
  const recorder = createRecorder({ id, asked, tasks: options.tasks, now, version });
  return {
    sink: recorder.sink,
    save: () => {
      // Read only now: a run that never starts a task costs nothing.
      const record = recorder.record(gitRevision(root));
      if (!record) return;
      try {
        saveRecord(root, record);
      } catch (error) {
        options.warn(`the run could not be kept in the history (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    },
  };
}
