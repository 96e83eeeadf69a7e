/** The longest delay Node's timers take: a longer one overflows and fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A pending long timeout; cancel() forgets it (it may be called more than once). */
export interface LongTimeout {
  cancel(): void;
}

/**
 * Calls `callback` after `ms` milliseconds, for any finite `ms`: a delay past what one timer holds
 * (about 24.8 days) is waited out as a chain of timers, each measured against the same deadline.
 */
export function setLongTimeout(callback: () => void, ms: number, step = MAX_TIMER_MS): LongTimeout {
  const deadline = performance.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const wait = (left: number) => {
    timer = setTimeout(() => {
      const rest = deadline - performance.now();
      if (rest > 0.5) wait(rest);
      else callback();
    }, Math.min(Math.max(left, 1), step));
  };
  wait(ms);
  return { cancel: () => clearTimeout(timer) };
}
