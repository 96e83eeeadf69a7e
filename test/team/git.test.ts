import t from "tap";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noPrompts, quietGit } from "../../lib/team/git.js";

t.test("git never prompts: no terminal prompt, ssh in batch mode unless the user chose their own ssh", async (t) => {
  t.strictSame(noPrompts({}), { GIT_TERMINAL_PROMPT: "0", GIT_SSH_COMMAND: "ssh -o BatchMode=yes" });
  t.strictSame(noPrompts({ GIT_SSH_COMMAND: "ssh -i ~/.ssh/lab" }), { GIT_TERMINAL_PROMPT: "0" });
  t.strictSame(noPrompts({ GIT_SSH: "/usr/bin/plink" }), { GIT_TERMINAL_PROMPT: "0" });
});

t.test("a failing git command rejects with git's first complaint, and its whole message goes to the log", async (t) => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "mity-git-")));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const logged: string[] = [];
  const git = quietGit({ ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: join(dir, ".gitconfig") }, undefined, (text) => logged.push(text));
  await t.rejects(git(["clone", `file://${dir}/none.git`, join(dir, "x")]), /^git clone: fatal: .*none\.git/);
  t.match(logged.join("\n"), /Could not read from remote repository/);
  t.match(await git(["--version"]), /^git version \S+$/);
});
