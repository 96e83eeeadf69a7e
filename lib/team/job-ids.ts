/**
 * GitHub job ids for task names: letters, digits, `-` and `_`, starting with a letter or `_`. `:` becomes
 * `-`, anything else `_`; two names that come out alike get `-2`, `-3`.
 */
export function jobIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    // GitHub takes ids of fewer than 100 characters.
    let base = name.replaceAll(":", "-").replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 90);
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    let id = base;
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
    taken.add(id.toLowerCase());
    ids.set(name, id);
  }
  return ids;
}
