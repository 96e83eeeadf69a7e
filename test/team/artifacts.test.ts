import t from "tap";
import { artifactOf, artifactRoot, outputPaths, uploadStep } from "../../lib/team/artifacts.js";
import { taskNode } from "../helpers/task-node.js";

t.test("outputs become paths from the repository's top, through the mityfile's folder and the task's cwd", async (t) => {
  const build = taskNode("/p/web", { outputs: ["dist/**", "!dist/**/*.map", "../shared/gen.d.ts"] });
  t.strictSame(artifactOf("build", outputPaths(build, "/p", "infra")), {
    name: "build",
    paths: ["infra/web/dist/**", "!infra/web/dist/**/*.map", "infra/shared/gen.d.ts"],
    root: "infra",
  });
  t.strictSame(outputPaths(taskNode("/p", { outputs: ["./dist/**"] }), "/p", "").paths, ["dist/**"]);
});

t.test("a task without outputs, or whose outputs all lie outside the repository, has no artifact", async (t) => {
  t.equal(artifactOf("build", outputPaths(taskNode("/p"), "/p", "")), undefined);
  t.equal(artifactOf("build", outputPaths(taskNode("/p", { outputs: ["../elsewhere/**", "!x/**"] }), "/p", "")), undefined);
  t.strictSame(outputPaths(taskNode("/p", { outputs: ["dist/**", "../../x"] }), "/p", "infra"), { paths: ["infra/dist/**"], outside: ["../../x"] });
});

t.test("the artifact's root is where upload-artifact roots its files, so a download puts them back", async (t) => {
  // One search folder: the files are stored relative to it.
  t.equal(artifactRoot(["dist/**"]), "dist");
  t.equal(artifactRoot(["web/dist/**/*.js", "web/dist/**/*.css"]), "web/dist");
  // A search path inside another one counts as that one.
  t.equal(artifactRoot(["dist/**", "dist/sub/a.js"]), "dist");
  // A lone file is stored without its folders.
  t.equal(artifactRoot(["out/app.js"]), "out");
  t.equal(artifactRoot(["app.js"]), ".");
  // Several: their deepest common folder.
  t.equal(artifactRoot(["web/dist/**", "web/types/**"]), "web");
  t.equal(artifactRoot(["web/a.js", "web/b.js"]), "web");
  t.equal(artifactRoot(["dist/**", "types/**"]), ".");
  t.equal(artifactRoot(["**/*.o", "dist/**"]), ".");
});

t.test("hidden files go up only where a pattern names one: a bare `**` never takes `.git`", async (t) => {
  const upload = (outputs: string[]) => uploadStep(taskNode("/p", { outputs }), artifactOf("build", outputPaths(taskNode("/p", { outputs }), "/p", ""))!) as { with: Record<string, unknown> };
  t.equal(upload([".terraform/**"]).with["include-hidden-files"], true);
  t.equal(upload(["dist/.vite/manifest.json", "dist/**"]).with["include-hidden-files"], true);
  t.equal(upload(["dist/**", "!dist/.cache/**"]).with["include-hidden-files"], undefined);
  t.equal(upload(["**"]).with["include-hidden-files"], undefined);
});
