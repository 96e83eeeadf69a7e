import { createRequire } from "node:module";

/**
 * The queue's packages, required at their first use: only runs with pools, workers and `--workers`
 * load them (the bundle keeps them out, and its code cache cannot `import()`).
 */
export const ioredis = () => createRequire(import.meta.url)("ioredis") as typeof import("ioredis");
export const bullmq = () => createRequire(import.meta.url)("bullmq") as typeof import("bullmq");
