/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The names closest to `wanted`, best first: near misses by edit distance, and names that contain it. */
export function closestNames(wanted: string, names: Iterable<string>, most = 3): string[] {
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of names) {
    const distance = editDistance(wanted.toLowerCase(), name.toLowerCase());
    const tail = name.split(":").pop()!;
    const score = Math.min(distance, tail === wanted ? 0.5 : Infinity, name.includes(wanted) ? 1.5 : Infinity);
    if (score <= limit) scored.push({ name, score });
  }
  return scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name)).slice(0, most).map((s) => s.name);
}

/** ` Did you mean "a" or "b"?`, or nothing. */
export function didYouMean(wanted: string, names: Iterable<string>): string {
  const close = closestNames(wanted, names);
  if (close.length === 0) return "";
  const quoted = close.map((name) => `"${name}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
  return ` Did you mean ${list}?`;
}
