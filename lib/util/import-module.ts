/** The global through which the CLI bundle's loader lends its `import()`. */
export const IMPORT_HOOK = Symbol.for("mity.import");

type Importer = (specifier: string) => Promise<Record<string, unknown>>;

/**
 * `import()` an ES module (a compiled mityfile, another copy of mity). Code that `lib/cli.ts` runs
 * from a V8 code cache cannot call `import()` itself, so the loader lends its own.
 */
export function importModule(specifier: string): Promise<Record<string, unknown>> {
  const lent = (globalThis as Record<symbol, unknown>)[IMPORT_HOOK] as Importer | undefined;
  return lent ? lent(specifier) : (import(specifier) as Promise<Record<string, unknown>>);
}
