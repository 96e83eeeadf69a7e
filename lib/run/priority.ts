/**
 * Admission order: when more tasks are ready than there are slots, the one with the longest
 * remaining path to the end of the run goes first (critical path first), so a long chain is not
 * left waiting behind short independent tasks.
 */

export interface PlanTask {
  name: string;
  deps: readonly string[];
  /** Whether the task does work of its own (a group costs nothing). */
  works: boolean;
}

/**
 * For each task, its own expected cost plus the most expensive path through the tasks that depend on
 * it. Costs are recorded durations where known; unknown ones count as the median known duration (or 1,
 * when nothing is known, which makes the length a count of tasks).
 */
export function remainingPaths(tasks: readonly PlanTask[], recorded: (name: string) => number | undefined): Map<string, number> {
  const durations = tasks.map((task) => (task.works ? recorded(task.name) : undefined));
  const known = durations.filter((ms): ms is number => ms !== undefined).sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)]! : 1;
  const index = new Map<string, number>();
  tasks.forEach((task, i) => index.set(task.name, i));
  // Dependents before their deps (Kahn's order over the reversed edges): a task's length is known once
  // every task that depends on it has one. Plain loops over indexes: plans can hold 10,000 tasks.
  const waitingDependents = new Int32Array(tasks.length);
  for (const task of tasks) {
    for (const dep of task.deps) {
      const j = index.get(dep);
      if (j !== undefined) waitingDependents[j]!++;
    }
  }
  const longestAfter = new Float64Array(tasks.length);
  const queue: number[] = [];
  for (let i = 0; i < tasks.length; i++) if (waitingDependents[i] === 0) queue.push(i);
  const lengths = new Map<string, number>();
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head]!;
    const task = tasks[i]!;
    const length = (task.works ? durations[i] ?? fallback : 0) + longestAfter[i]!;
    lengths.set(task.name, length);
    for (const dep of task.deps) {
      const j = index.get(dep);
      if (j === undefined) continue;
      if (length > longestAfter[j]!) longestAfter[j] = length;
      if (--waitingDependents[j]! === 0) queue.push(j);
    }
  }
  return lengths;
}

/** Ready tasks, highest priority first; ties keep the order they became ready in. */
export class ReadyQueue<T> {
  #heap: { priority: number; seq: number; item: T }[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(item: T, priority: number): void {
    this.#heap.push({ priority, seq: this.#seq++, item });
    let i = this.#heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) break;
      [this.#heap[i], this.#heap[parent]] = [this.#heap[parent]!, this.#heap[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const top = this.#heap[0];
    const last = this.#heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < this.#heap.length && this.#before(left, best)) best = left;
        if (right < this.#heap.length && this.#before(right, best)) best = right;
        if (best === i) break;
        [this.#heap[i], this.#heap[best]] = [this.#heap[best]!, this.#heap[i]!];
        i = best;
      }
    }
    return top.item;
  }

  #before(a: number, b: number): boolean {
    const x = this.#heap[a]!;
    const y = this.#heap[b]!;
    return x.priority > y.priority || (x.priority === y.priority && x.seq < y.seq);
  }
}
