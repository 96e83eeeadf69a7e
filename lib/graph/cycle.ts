/** The first dependency cycle found, as a path that ends where it starts (`a, b, c, a`), or undefined. */
export function findCycle(nodes: Iterable<string>, depsOf: (name: string) => readonly string[]): string[] | undefined {
  const done = new Set<string>();
  const onPath = new Map<string, number>();
  const path: string[] = [];
  // Iterative depth-first search, so a chain of thousands of tasks cannot overflow the stack.
  for (const start of nodes) {
    if (done.has(start)) continue;
    // A task without deps closes no cycle: most tasks of a large mityfile are such leaves.
    if (depsOf(start).length === 0) {
      done.add(start);
      continue;
    }
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    onPath.set(start, 0);
    path.push(start);
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const deps = depsOf(frame.name);
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        const seenAt = onPath.get(dep);
        if (seenAt !== undefined) return [...path.slice(seenAt), dep];
        if (done.has(dep)) continue;
        onPath.set(dep, path.length);
        path.push(dep);
        stack.push({ name: dep, next: 0 });
      } else {
        stack.pop();
        path.pop();
        onPath.delete(frame.name);
        done.add(frame.name);
      }
    }
  }
  return undefined;
}
