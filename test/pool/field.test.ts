import t from "tap";
import { validateConfig } from "../../lib/graph/validate.js";
import { resolveGraph } from "../../lib/graph/resolve.js";
import { MityError } from "../../lib/util/errors.js";

const FILE = "/p/mityfile.ts";

function failure(fields: Record<string, unknown>): string | undefined {
  try {
    validateConfig(FILE, { tasks: { apply: fields } });
    return undefined;
  } catch (error) {
    if (error instanceof MityError) return error.describe();
    throw error;
  }
}

t.test("a pool names the file, the task and the field when it is wrong", async (t) => {
  t.equal(failure({ run: "x", pool: 3 }), `${FILE}: task "apply", field "pool": must be a pool name (string), not a number`);
  t.equal(failure({ run: "x", pool: "bast ion" }), `${FILE}: task "apply", field "pool": must be made of letters, digits, ".", "_" and "-", not "bast ion"`);
  t.equal(failure({ run: "x", pool: "" }), `${FILE}: task "apply", field "pool": must be made of letters, digits, ".", "_" and "-", not ""`);
  t.match(failure({ deps: [], pool: "bastion" }), /field "pool": a task without run \(a group\) has no work for a worker/);
  t.match(failure({ run: "x", interactive: true, pool: "bastion" }), /field "pool": an interactive task needs this terminal/);
  t.equal(failure({ run: "x", pool: "bastion" }), undefined);
});

t.test("the resolved task carries its pool; a task without one has none", async (t) => {
  const graph = resolveGraph([{ file: FILE, namespace: "", config: { tasks: { apply: { run: "x", pool: "bastion" }, plan: { run: "y" } } } }]);
  t.equal(graph.tasks.get("apply")!.pool, "bastion");
  t.equal(graph.tasks.get("plan")!.pool, undefined);
});
