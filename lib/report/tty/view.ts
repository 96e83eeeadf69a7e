import { Listr, ListrTaskState, Spinner, type DefaultRenderer, type ListrTaskObject, type SimpleRenderer } from "listr2";
import { EMPTY, type Look, type Mark } from "./looks.js";

type ListrTask = ListrTaskObject<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;

/** The time between two frames: the spinner's pace, and the most often the view is drawn. */
const FRAME_MS = 100;

/** The listr state that draws each mark: a spinner, ◼, ✔, ✖ or ↓. */
const STATES: Record<Mark, ListrTaskState> = {
  running: ListrTaskState.STARTED,
  waiting: ListrTaskState.PAUSED,
  ok: ListrTaskState.COMPLETED,
  failed: ListrTaskState.FAILED,
  skipped: ListrTaskState.SKIPPED,
};

/** listr's spinner, turned by the view's own clock: a new frame and a spinner step cost one redraw. */
class FrameSpinner extends Spinner {
  #redraw: (() => void) | undefined;
  override start(redraw?: () => void): void {
    this.#redraw = redraw;
  }
  override stop(): void {
    this.#redraw = undefined;
  }
  step(): void {
    this.spin();
    this.#redraw?.();
  }
  redraw(): void {
    this.#redraw?.();
  }
}

/** A line of the view: a listr task that lives as long as the view and shows whatever it is told. */
interface Slot {
  look: Look;
  task?: ListrTask;
  end: () => void;
}

/** A live listr view of a fixed number of lines, whatever the number of tasks behind it. */
export interface View {
  /** Draws the next frame at once rather than at the next tick, for news a person is waiting for. */
  now(): void;
  /** Draws `looks` as the last frame, left on the terminal, and resolves once listr has written it. */
  close(looks: readonly Look[]): Promise<void>;
}

/**
 * Opens a view of `lines` lines. Ten times a second it asks `nextFrame` for the looks of its lines
 * (undefined: nothing changed) and redraws. listr would redraw every line whenever one of its tasks
 * changes through its `$` setters, a whole redraw per change: the lines' fields are written directly
 * instead, and redrawn once per frame.
 */
export function openView(lines: number, nextFrame: () => readonly Look[] | undefined): View {
  const slots: Slot[] = Array.from({ length: lines }, () => ({ look: EMPTY, end: () => {} }));
  const spinner = new FrameSpinner();
  const state = { closed: false };
  const show = (looks: readonly Look[]) => {
    slots.forEach((slot, i) => {
      slot.look = looks[i] ?? EMPTY;
      paint(slot);
    });
  };
  const ran = slotsListr(slots, spinner, state).run().catch(() => {});
  const clock = setInterval(() => {
    const looks = nextFrame();
    if (looks) show(looks);
    spinner.step();
  }, FRAME_MS);
  // The first frame must already fit the terminal: lines scrolled off cannot be redrawn.
  show(nextFrame() ?? []);
  return {
    now() {
      const looks = nextFrame();
      if (looks) show(looks);
      spinner.redraw();
    },
    async close(looks) {
      clearInterval(clock);
      show(looks);
      state.closed = true;
      for (const slot of slots) slot.end();
      await ran;
    },
  };
}

/** Writes a slot's look into its listr task's fields, for the next redraw to show. */
function paint(slot: Slot): void {
  const task = slot.task;
  if (!task) return;
  task.title = slot.look.title;
  task.state = STATES[slot.look.mark];
  // A skipped task shows its skip message in place of its title.
  task.message = { ...task.message, skip: slot.look.title };
}

/** A listr of one long-lived task per slot, drawn by the default renderer with the view's own spinner. */
function slotsListr(slots: Slot[], spinner: FrameSpinner, state: { closed: boolean }) {
  return new Listr<unknown, "default", "simple">(
    slots.map((slot) => ({
      title: "",
      task: (_, wrapper) => {
        slot.task = wrapper.task as ListrTask;
        paint(slot);
        // A slot listr starts only after the view closed ends at once, showing its last look.
        return state.closed ? undefined : new Promise<void>((resolve) => (slot.end = resolve));
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
        spinner,
        pausedTimer: { condition: false, field: "", format: () => (text?: string) => text ?? "" },
      },
      fallbackRendererCondition: false,
    },
  );
}
