import t from "tap";
import { events, runMity, tempTree } from "../helpers/mity.js";

t.test("a TypeScript mityfile without node_modules runs its default task", async (t) => {
  const dir = tempTree(t, {
    "mityfile.ts": `import { defineConfig } from "mity";
export default defineConfig({ default: "hello", tasks: { hello: { run: "echo hello from $MITY_TASK" } } });`,
  });
  const result = await runMity(["--output", "json"], { cwd: dir });
  t.equal(result.code, 0, result.stderr);
  const output = events(result.stdout).find((e) => e.event === "output");
  t.equal(output?.line, "hello from hello");
});
