import { spawnSync } from "node:child_process";
import t from "tap";
import { endsByTask } from "../helpers/fixtures.js";
import { events, MITY_BIN, tempTree } from "../helpers/mity.js";

t.test("out of file descriptors, commands wait for running ones instead of failing their tasks", async (t) => {
  const tasks: Record<string, unknown> = {};
  for (let i = 0; i < 120; i++) tasks[`t${i}`] = { run: `sleep 0.3; echo done ${i}` };
  tasks.all = { deps: Object.keys(tasks), concurrent: true };
  const dir = tempTree(t, { "mityfile.ts": `export default ${JSON.stringify({ tasks })};\n` });
  const env: Record<string, string | undefined> = { ...process.env, HOME: `${dir}/.home`, NO_COLOR: "1", NODE_OPTIONS: undefined, CI: undefined };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  // 128 descriptors cannot hold 100 commands' pipes at once.
  const result = spawnSync("bash", ["-c", `ulimit -n 128; exec "${process.execPath}" "${MITY_BIN}" --output json -j100 all`], {
    cwd: dir, env, encoding: "utf8", timeout: 120_000,
  });
  t.equal(result.status, 0, result.stderr);
  const ends = endsByTask(events(result.stdout));
  const failed = [...ends.values()].filter((end) => end.state !== "ok");
  t.same(failed, [], "no task fails for mity's own limit");
  t.equal(ends.size, 121);
  t.notMatch(result.stdout, /EMFILE|exit code 126/);
  const warnings = result.stderr.split("\n").filter((line) => line.includes("out of file descriptors"));
  t.equal(warnings.length, 1, "said once");
  t.match(warnings[0], /^mity: warning: out of file descriptors: .*lower -j/);
});
