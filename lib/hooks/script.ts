import type { HookName } from "./names.js";

/** The line that tells mity's own hook scripts from anyone else's. */
export const MARKER = "# managed by mity";

/** The suffix under which a hook mity found in its place is kept (and run first). */
export const KEPT_SUFFIX = ".pre-mity";

/** Whether a hook file's text is one of mity's scripts (the marker sits near the top). */
export const isMityScript = (text: string): boolean => text.split("\n", 5).some((line) => line.trimEnd() === MARKER);

/** Quotes any string for sh: single quotes, each `'` written as `'\''`. */
const shQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * The POSIX sh script installed as the `hook` hook. It runs a kept `<hook>.pre-mity` first (same arguments
 * and stdin; its failure stops the hook), then `mity --hook <hook> "$@"` in `project` (relative to the work
 * tree root, "" for the root), using the nearest `node_modules/.bin/mity` up to the root, else `mity` on PATH.
 * The kept hook is found when the hook runs, so the script is the same whether there is one or not.
 */
export function hookScript(hook: HookName, project = ""): string {
  const enter = project === "" ? `cd -- "$top" || exit 1` : `cd -- "$top"/${shQuote(project)} || exit 1`;
  return [
    "#!/bin/sh",
    MARKER,
    `# Written by "mity --install-hooks"; "mity --uninstall-hooks" removes it and puts back the hook it kept.`,
    `hook=${hook}`,
    `kept="$(dirname -- "$0")/$hook${KEPT_SUFFIX}"`,
    `if [ -x "$kept" ]; then`,
    `  if [ -t 0 ]; then`,
    `    "$kept" "$@" || exit $?`,
    `  else`,
    `    # Both the kept hook and mity read stdin (pre-push, post-rewrite): save it once, give each all of it.`,
    `    input=$(mktemp) || exit 1`,
    `    cat > "$input"`,
    `    "$kept" "$@" < "$input" || { status=$?; rm -f -- "$input"; exit $status; }`,
    `    exec < "$input"`,
    `    rm -f -- "$input"`,
    `  fi`,
    `fi`,
    `# Git starts hooks at the top of the work tree; this also works when the script is run by hand.`,
    `top=$(git rev-parse --show-toplevel 2>/dev/null) || top=$PWD`,
    `# Git may pass relative paths (GIT_WORK_TREE=. with --git-dir): make them absolute so the cd keeps them right.`,
    `for name in GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_COMMON_DIR GIT_OBJECT_DIRECTORY; do`,
    `  eval "value=\\\${$name-}"`,
    `  case $value in ''|/*|[A-Za-z]:*) ;; *) eval "$name=\\$PWD/\\$value; export $name" ;; esac`,
    `done`,
    enter,
    `dir=$PWD`,
    `while :; do`,
    `  if [ -x "$dir/node_modules/.bin/mity" ]; then exec "$dir/node_modules/.bin/mity" --hook "$hook" "$@"; fi`,
    `  if [ "$dir" = "$top" ] || [ "$dir" = / ] || [ "$dir" = . ]; then break; fi`,
    `  dir=$(dirname -- "$dir")`,
    `done`,
    `if command -v mity >/dev/null 2>&1; then exec mity --hook "$hook" "$@"; fi`,
    `echo "mity: the $hook hook cannot run: there is no node_modules/.bin/mity in $PWD or above it, and no mity on PATH." >&2`,
    `echo "mity: install mity in this project (npm install --save-dev PATH-TO-MITY, a clone or a packed .tgz) or on PATH, or remove the hook with \\"mity --uninstall-hooks\\"." >&2`,
    `exit 127`,
    "",
  ].join("\n");
}
