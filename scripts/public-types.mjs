// Checks the published types that a mityfile's `import "mity"` reaches: they must not need @types/node,
// or a project without it fails to type-check inside mity's own .d.ts files. Run by "npm run build".
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** What only @types/node declares: its namespace, its modules and a reference to its types. */
const NODE_ONLY = /\bNodeJS\.\w+|(?:from |import\()"node:[^"]+"|<reference types="node"/g;

/** The .d.ts files reachable from `entry` through relative imports, each with what it needs from @types/node. */
export function nodeTypesIn(entry) {
  const found = new Map();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (found.has(file)) continue;
    const text = readFileSync(file, "utf8");
    found.set(file, [...new Set(text.match(NODE_ONLY) ?? [])]);
    for (const [, a, b] of text.matchAll(/from "(\.[^"]+)"|import\("(\.[^"]+)"\)/g)) pending.push(join(dirname(file), (a ?? b).replace(/\.js$/, ".d.ts")));
  }
  return [...found].filter(([, names]) => names.length > 0);
}

/** Throws, naming each file and what it uses, when the public types need @types/node. */
export function checkPublicTypes(dist) {
  const offending = nodeTypesIn(join(dist, "index.d.ts"));
  if (offending.length === 0) return;
  const lines = offending.map(([file, names]) => `  ${relative(dist, file)}: ${names.join(", ")}`);
  throw new Error(`the public types (dist/index.d.ts and what it imports) must not need @types/node; write plain types instead:\n${lines.join("\n")}`);
}
