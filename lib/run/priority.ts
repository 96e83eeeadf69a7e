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

interface Entry<T> {
  priority: number;
  seq: number;
  item: T;
}

/** Whether `a` goes before `b`: higher priority first, then the order they became ready in. */
const before = <T>(a: Entry<T>, b: Entry<T>) => a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);

/** Ready tasks, highest priority first; ties keep the order they became ready in. */
export class ReadyQueue<T> {
  #heap: Entry<T>[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(item: T, priority: number): void {
    const heap = this.#heap;
    const entry: Entry<T> = { priority, seq: this.#seq++, item };
    // Moves parents down into the hole until the entry's place is found: no swaps, no temporary arrays.
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  pop(): T | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    const size = heap.length;
    if (size === 0) return top.item;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top.item;
  }
}
