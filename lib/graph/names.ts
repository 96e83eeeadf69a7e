/** A task or namespace name: ASCII letters, digits, ".", "_", "-", not first a "-" (it would read as an option). */
export const NAME_PATTERN = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

/** Why a task name is not valid, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if (NAME_PATTERN.test(name)) return undefined;
  const bare = name.replace(/^-+/, "");
  if (name.startsWith("-")) return `must not start with "-": on the command line it would read as an option${NAME_PATTERN.test(bare) ? ` (name it "${bare}", for example)` : ""}`;
  return 'is not a valid task name: use ASCII letters, digits, ".", "_" and "-" (":" separates namespaces)';
}

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
