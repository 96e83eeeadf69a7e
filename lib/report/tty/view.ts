import { Listr, ListrEventType, ListrTaskState, type DefaultRenderer, type ListrTaskObject, type SimpleRenderer } from "listr2";
import { EMPTY, type Look, type Mark } from "./looks.js";

type ListrTask = ListrTaskObject<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;

/** The listr state that draws each mark: a spinner, ◼, ✔, ✖ or ↓. */
const STATES: Record<Mark, ListrTaskState> = {
  running: ListrTaskState.STARTED,
  waiting: ListrTaskState.PAUSED,
  ok: ListrTaskState.COMPLETED,
  failed: ListrTaskState.FAILED,
  skipped: ListrTaskState.SKIPPED,
};

/** A line of the view: a listr task that lives as long as the view and shows whatever it is told. */
interface Slot {
  look: Look;
  task?: ListrTask;
  end: () => void;
}

/** A live listr view of a fixed number of lines, whatever the number of tasks behind it. */
export interface View {
  /** Shows these looks from the top; lines past them are left empty. */
  draw(looks: readonly Look[]): void;
  /** Draws `looks` as the last frame, left on the terminal, and resolves once listr has written it. */
  close(looks: readonly Look[]): Promise<void>;
}

/**
 * Opens a view of `lines` lines. listr redraws every line whenever one of its tasks changes through its
 * `$` setters, which costs the whole view per change: the slots' fields are written directly instead,
 * and each frame asks for one redraw of its few lines.
 */
export function openView(lines: number): View {
  const slots: Slot[] = Array.from({ length: lines }, () => ({ look: EMPTY, end: () => {} }));
  let closed = false;
  const paint = (slot: Slot) => {
    const task = slot.task;
    if (!task) return;
    task.title = slot.look.title;
    task.state = STATES[slot.look.mark];
    // A skipped task shows its skip message in place of its title.
    task.message = { ...task.message, skip: slot.look.title };
  };
  const listr = new Listr<unknown, "default", "simple">(
    slots.map((slot) => ({
      title: "",
      task: (_, wrapper) => {
        slot.task = wrapper.task as ListrTask;
        paint(slot);
        // A slot listr starts only after the view closed ends at once, showing its last look.
        return closed ? undefined : new Promise<void>((resolve) => (slot.end = resolve));
      },
      // Keeps listr from dropping and re-creating a finished-looking line's output buffer on every redraw.
      rendererOptions: { persistentOutput: true },
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: "default",
      rendererOptions: {
        collapseErrors: false,
        showErrorMessage: false,
        formatOutput: "truncate",
        removeEmptyLines: true,
        pausedTimer: { condition: false, field: "", format: () => (text?: string) => text ?? "" },
      },
      fallbackRendererCondition: false,
    },
  );
  const ran = listr.run().catch(() => {});
  const draw = (looks: readonly Look[]) => {
    slots.forEach((slot, i) => {
      slot.look = looks[i] ?? EMPTY;
      paint(slot);
    });
    // One redraw for the whole frame, without waiting for the spinner's next tick.
    listr.events.emit(ListrEventType.SHOULD_REFRESH_RENDER);
  };
  return {
    draw,
    async close(looks) {
      draw(looks);
      closed = true;
      for (const slot of slots) slot.end();
      await ran;
    },
  };
}
