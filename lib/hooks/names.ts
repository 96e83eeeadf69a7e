import { didYouMean } from "../graph/suggest.js";
import { MityError } from "../util/errors.js";

/** The hooks git runs in a clone (githooks(5)); server-side ones never run where mity is used. */
export const CLIENT_HOOKS = [
  "applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit", "prepare-commit-msg",
  "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge", "pre-push", "pre-auto-gc",
  "post-rewrite", "push-to-checkout", "reference-transaction", "sendemail-validate", "fsmonitor-watchman",
  "post-index-change",
] as const;

/** The name of a client-side git hook. */
export type HookName = (typeof CLIENT_HOOKS)[number];

const SERVER_HOOKS = new Set(["pre-receive", "update", "proc-receive", "post-receive", "post-update"]);

export const isHookName = (name: string): name is HookName => (CLIENT_HOOKS as readonly string[]).includes(name);

/** The names as hook names, each once, in the order given; an unknown one is a MityError with a suggestion. */
export function checkHookNames(names: Iterable<string>): HookName[] {
  const checked = new Set<HookName>();
  for (const name of names) {
    if (isHookName(name)) {
      checked.add(name);
      continue;
    }
    const why = SERVER_HOOKS.has(name)
      ? ` "${name}" is a server-side hook: git runs it in the repository pushed to, not in a clone.`
      : didYouMean(name, CLIENT_HOOKS);
    throw new MityError(`unknown git hook "${name}".${why} Client-side hooks are: ${CLIENT_HOOKS.join(", ")}.`, { field: "hooks" });
  }
  return [...checked];
}
