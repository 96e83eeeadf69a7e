// mity's own tasks: "mity build", "mity test", "mity lint", "mity check".
import { defineConfig } from "mity";

export default defineConfig({
  default: "check",
  tasks: {
    build: { description: "Compile lib/ to dist/ and bundle the command line", run: "node scripts/build.mjs" },
    lint: { description: "Type-check lib/, test/ and bench/", run: "tsc -p tsconfig.json --noEmit" },
    test: { description: "Run the test suite", deps: ["build"], run: "tap" },
    check: { description: "Lint and test, at the same time", deps: ["lint", "test"], concurrent: true },
    bench: { description: "Compare mity with make and hereby (see bench/README.md)", deps: ["build"], run: "node bench/run.mjs" },
  },
});
