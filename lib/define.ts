import type { MityConfig } from "./types.js";

/**
 * Returns its argument. It exists so editors complete task fields and the compiler checks the names in
 * `deps`, `default` and `hooks` against the declared tasks.
 */
export function defineConfig<const T>(config: MityConfig<T>): MityConfig<T> {
  return config;
}
