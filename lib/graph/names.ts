/** A task or namespace name: letters, digits, ".", "_", "-". */
export const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

export const qualify = (namespace: string, name: string): string => (namespace ? `${namespace}:${name}` : name);

/**
 * The full name a dep refers to: `:x` is from the root; otherwise the task's own namespace is tried
 * first, then each enclosing one up to the root. Undefined when none exists.
 */
export function resolveDep(dep: string, namespace: string, exists: (name: string) => boolean): string | undefined {
  if (dep.startsWith(":")) return exists(dep.slice(1)) ? dep.slice(1) : undefined;
  const parts = namespace ? namespace.split(":") : [];
  for (let depth = parts.length; depth >= 0; depth--) {
    const candidate = qualify(parts.slice(0, depth).join(":"), dep);
    if (exists(candidate)) return candidate;
  }
  return undefined;
}
