import type { MityEvent } from "../run/events.js";
import { createRecorder, type RecorderOptions } from "./recorder.js";
import { gitRevision } from "./revision.js";
import { saveRecord } from "./store.js";

export interface RecordRunOptions extends RecorderOptions {
  /** The project's root folder: the record goes to its `.mity/runs/`. */
  root: string;
  warn: (message: string) => void;
}

/** Keeps a run in `.mity/runs/` once it ends: `sink` takes its events, `save()` writes it if a task started. */
export function recordRun(options: RecordRunOptions): { sink: (event: MityEvent) => void; save: () => void } {
  const recorder = createRecorder(options);
  return {
    sink: recorder.sink,
    save: () => {
      // Read only now: a run that never starts a task costs nothing.
      const record = recorder.record(gitRevision(options.root));
      if (!record) return;
      try {
        saveRecord(options.root, record);
      } catch (error) {
        options.warn(`the run could not be kept in the history (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    },
  };
}
