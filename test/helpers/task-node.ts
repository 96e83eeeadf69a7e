import { join } from "node:path";
import type { TaskNode } from "../../lib/graph/graph.js";

/** A resolved task as the graph gives it, in `cwd`, with only what a test changes spelled out. */
export function taskNode(cwd: string, fields: Partial<TaskNode> = {}): TaskNode {
  return {
    name: "build", file: join(cwd, "mityfile.ts"), namespace: "", description: undefined, deps: [], concurrent: undefined, run: ["true"], cwd,
    env: {}, fileEnv: {}, ownEnv: {}, secrets: [], dotenv: [], params: {}, confirm: undefined, inputs: [], outputs: [], hidden: false,
    timeout: undefined, interactive: false, lock: undefined, ...fields,
  };
}
