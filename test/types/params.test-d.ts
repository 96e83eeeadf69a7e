// Checked by `tsc -p tsconfig.json --noEmit`; test/types/params.test.ts also proves each @ts-expect-error fails without it.
import { defineConfig } from "../../lib/index.js";

/** True only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_proof: T): void => {};

export const team = defineConfig({
  default: "deploy",
  hooks: { "pre-commit": ["lint", "fw:lint", ":lint"] },
  tasks: {
    lint: { run: "eslint ." },
    deploy: {
      deps: ["lint", "fw:check", ":lint"],
      params: {
        count: { type: "number" },
        tag: { type: "string[]" },
        note: { type: "string" },
        verbose: { type: "boolean" },
      },
      run: async (ctx) => {
        expectType<Equal<typeof ctx.params.count, number | undefined>>(true);
        expectType<Equal<typeof ctx.params.tag, string[] | undefined>>(true);
        expectType<Equal<typeof ctx.params.note, string | undefined>>(true);
        expectType<Equal<typeof ctx.params.verbose, boolean>>(true);
        // @ts-expect-error an optional number may be undefined
        const count: number = ctx.params.count;
        // @ts-expect-error a param that is not declared
        void ctx.params.nope;
        // @ts-expect-error params are read-only
        ctx.params.note = "changed";
        await ctx.sh`deploy ${ctx.params.tag ?? []}`;
        return count;
      },
    },
    shell: {
      params: { env: { type: "string", choices: ["lab", "prod"], required: true } },
      run: 'echo "$MITY_PARAM_ENV"',
    },
  },
});

defineConfig({
  tasks: {
    build: { run: "tsc" },
    // @ts-expect-error "biuld" is not a task of this file (nor namespaced, nor from the root)
    test: { deps: ["biuld"], run: "node --test" },
  },
});

defineConfig({
  // @ts-expect-error the default task must be one of the file's tasks
  default: "nope",
  tasks: { build: { run: "tsc" } },
});

defineConfig({
  // @ts-expect-error a hook runs tasks of the file
  hooks: { "pre-commit": ["lnt"] },
  tasks: { lint: { run: "eslint ." } },
});
