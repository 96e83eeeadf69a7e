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
  const known = tasks.map((task) => recorded(task.name)).filter((ms): ms is number => ms !== undefined).sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)]! : 1;
  const cost = (task: PlanTask) => (task.works ? recorded(task.name) ?? fallback : 0);
  const dependents = new Map<string, string[]>();
  for (const task of tasks) {
    for (const dep of task.deps) {
      const list = dependents.get(dep);
      if (list) list.push(task.name);
      else dependents.set(dep, [task.name]);
    }
  }
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const lengths = new Map<string, number>();
  // Dependents before their deps: reverse of a deps-first order, found iteratively (chains can be long).
  const order: string[] = [];
  const seen = new Set<string>();
  for (const task of tasks) {
    if (seen.has(task.name)) continue;
    const stack: { name: string; next: number }[] = [{ name: task.name, next: 0 }];
    seen.add(task.name);
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const deps = byName.get(frame.name)?.deps ?? [];
      const dep = deps[frame.next++];
      if (dep === undefined) {
        stack.pop();
        order.push(frame.name);
      } else if (!seen.has(dep) && byName.has(dep)) {
        seen.add(dep);
        stack.push({ name: dep, next: 0 });
      }
    }
  }
  for (const name of order.reverse()) {
    let after = 0;
    for (const dependent of dependents.get(name) ?? []) after = Math.max(after, lengths.get(dependent) ?? 0);
    lengths.set(name, cost(byName.get(name)!) + after);
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
