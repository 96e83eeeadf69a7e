import { execFile } from "node:child_process";

/** Runs one git command and resolves to what it printed; a failure rejects with git's own message. */
export type Git = (args: readonly string[], cwd?: string) => Promise<string>;

/**
 * A `git` that never asks for anything: no password prompt on the terminal, ssh in batch mode (unless
 * the user set their own ssh command), so a repository that needs a login fails with git's message.
 */
export function quietGit(env: Readonly<Record<string, string | undefined>>, signal?: AbortSignal, log?: (text: string) => void): Git {
  const gitEnv = { ...env, ...noPrompts(env) };
  return (args, cwd) =>
    new Promise((resolve, reject) => {
      execFile("git", [...args], { cwd, env: gitEnv, signal, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout.trim());
        const said = stderr.trim() || error.message;
        // All of git's words go to the task's output; its first complaint is the reason in one line.
        log?.(said);
        const reason = said.split("\n").find((line) => /^(fatal|error):/.test(line)) ?? said.split("\n").at(-1)!;
        reject(new Error(`git ${args[0]}: ${reason}`));
      });
    });
}

/** The variables that keep git and ssh from prompting. */
export function noPrompts(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const quiet: Record<string, string> = { GIT_TERMINAL_PROMPT: "0" };
  if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) quiet.GIT_SSH_COMMAND = "ssh -o BatchMode=yes";
  return quiet;
}
