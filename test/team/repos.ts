import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** A git that sees no config of the machine or the person running the tests. */
export function gitEnv(home: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: join(home, ".gitconfig") };
  for (const name of Object.keys(env)) if (name.startsWith("GIT_") && !name.startsWith("GIT_CONFIG")) delete env[name];
  return env;
}

/** Remote repositories (bare, served by `file://` URLs) and work trees, all under one temp folder. */
export class Repos {
  readonly base: string;
  readonly home: string;

  constructor(t: { teardown(fn: () => void): void }) {
    this.base = realpathSync(mkdtempSync(join(tmpdir(), "mity-team-")));
    this.home = join(this.base, "home");
    mkdirSync(this.home);
    t.teardown(() => rmSync(this.base, { recursive: true, force: true }));
  }

  async git(cwd: string, ...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync("git", ["-c", "user.name=Mity Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, env: gitEnv(this.home) as NodeJS.ProcessEnv });
    return stdout.trim();
  }

  /** A bare repository named `name` whose `main` holds `files`; returns its `file://` URL. */
  async remote(name: string, files: Record<string, string>): Promise<string> {
    const bare = join(this.base, "remotes", `${name}.git`);
    mkdirSync(bare, { recursive: true });
    await this.git(bare, "init", "-q", "--bare", "-b", "main");
    const url = `file://${bare}`;
    const seed = join(this.base, "seeds", name);
    await this.git(this.base, "clone", "-q", url, seed);
    await this.git(seed, "checkout", "-q", "-b", "main");
    await this.commit(seed, files, "first");
    await this.git(seed, "push", "-q", "-u", "origin", "main");
    return url;
  }

  /** Writes files in a work tree and commits them. */
  async commit(tree: string, files: Record<string, string>, message: string): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
    await this.git(tree, "add", "-A");
    await this.git(tree, "commit", "-q", "-m", message);
  }

  /** A new commit on the remote's `main`, made through its seed clone. */
  async push(name: string, files: Record<string, string>, message: string): Promise<void> {
    const seed = join(this.base, "seeds", name);
    await this.git(seed, "pull", "-q", "--ff-only");
    await this.commit(seed, files, message);
    await this.git(seed, "push", "-q", "origin", "main");
  }
}
