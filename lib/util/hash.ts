import { createRequire } from "node:module";

/**
 * The SHA-256 of a text or file's bytes, as hex. node:crypto loads on first use: most starts hash
 * nothing (an unchanged mityfile, tasks that track no files), and loading it costs a start ~2 ms.
 */
export const sha256 = (data: string | Buffer): string =>
  (createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto")).createHash("sha256").update(data).digest("hex");
