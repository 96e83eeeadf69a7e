import type { Graph, TaskNode } from "../graph/graph.js";
import type { ParamSpec } from "../types.js";
import { resolveDep } from "../graph/names.js";
import { kebab } from "../graph/params.js";
import { GRAPH_FORMATS } from "./args.js";
import { OPTIONS } from "./options.js";
import { VALUED } from "./task-options.js";

// mity's own options offered by completion (the long forms), and the values of those with choices,
// read from the table yargs and the quick reader use.
const SPECS = Object.entries(OPTIONS) as [string, { hidden?: boolean; choices?: readonly string[] }][];
const LONG_OPTIONS = [...SPECS.filter(([, spec]) => !spec.hidden).map(([name]) => `--${name}`), "--help", "--version"];
const VALUES: Record<string, readonly string[]> = {
  ...Object.fromEntries(SPECS.filter(([, spec]) => spec.choices).map(([name, spec]) => [`--${name}`, spec.choices!])),
  "--graph": GRAPH_FORMATS,
};

/** Candidates for the last word of `words` (the words typed after `mity`, the last one possibly empty). */
export function completeWords(graph: Graph, words: readonly string[]): string[] {
  const current = words.at(-1) ?? "";
  const previous = words.at(-2);
  const starting = (candidates: Iterable<string>) => [...candidates].filter((candidate) => candidate.startsWith(current));
  if (previous !== undefined && VALUES[previous]) return starting(VALUES[previous]!);
  if (previous === "--hook") return starting(Object.keys(graph.hooks));
  const taskWord = [...words.slice(0, -1)].reverse().find((word) => !word.startsWith("-"));
  const task = taskWord === undefined ? undefined : graph.tasks.get(resolveDep(taskWord, "", (name) => graph.tasks.has(name)) ?? "");
  const param = previous === undefined ? undefined : paramNamed(task, previous);
  // A param's value is one of its choices, or anything: never a task name.
  if (param && param.type !== "boolean") return starting(param.choices?.map(String) ?? []);
  // A folder, a file or a number: the shell's own completion does better than task names.
  if (previous !== undefined && previous !== "--why" && VALUED.has(previous)) return [];
  if (current.startsWith("-")) {
    const params = Object.entries(task?.params ?? {}).flatMap(([name, spec]) =>
      spec.type === "boolean" ? [`--${kebab(name)}`, `--no-${kebab(name)}`] : [`--${kebab(name)}`],
    );
    return starting(new Set([...params, ...LONG_OPTIONS]));
  }
  const visible = [...graph.tasks.values()].filter((task) => !task.hidden).map((task) => task.name);
  // Offer a namespace as one word ("firewall:") until the user has typed into it.
  const names = new Set<string>();
  for (const name of visible) {
    if (!name.startsWith(current)) continue;
    const next = name.indexOf(":", current.length);
    names.add(next === -1 ? name : name.slice(0, next + 1));
  }
  return [...names].sort();
}

/** The param of `task` that `word` (`--env`) names, if any. */
function paramNamed(task: TaskNode | undefined, word: string): ParamSpec | undefined {
  if (task === undefined || !word.startsWith("--")) return undefined;
  const name = Object.keys(task.params).find((candidate) => `--${kebab(candidate)}` === word);
  return name === undefined ? undefined : task.params[name];
}

/** A completion script for a shell: it asks `mity --get-completions -- <words>` for candidates. */
export function completionScript(shell: "bash" | "zsh" | "fish"): string {
  switch (shell) {
    case "bash":
      return `# mity completion for bash: add to ~/.bashrc:  source <(mity --completion bash)
_mity_complete() {
  local cur words
  if [[ -n "\${COMP_LINE-}" ]]; then
    # Words are read from the line itself: bash would split "fw:apply" at the colon.
    local line="\${COMP_LINE:0:COMP_POINT}"
    cur="\${line##*[[:space:]]}"
    read -r -a words <<< "$line"
    [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  else
    words=("\${COMP_WORDS[@]:0:COMP_CWORD+1}")
    cur="\${COMP_WORDS[COMP_CWORD]}"
  fi
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$(mity --get-completions -- "\${words[@]:1}" 2>/dev/null)" -- "$cur"))
  # bash replaces only what follows the last colon of the word: hand it back just that part.
  if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
    local prefix="\${cur%"\${cur##*:}"}" i
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[$i]="\${COMPREPLY[$i]#"$prefix"}"; done
  fi
  [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == *: ]] && compopt -o nospace 2>/dev/null
  return 0
}
complete -o default -F _mity_complete mity
`;
    case "zsh":
      return `#compdef mity
# mity completion for zsh: add to ~/.zshrc:  source <(mity --completion zsh)
_mity() {
  local -a candidates
  candidates=("\${(@f)$(mity --get-completions -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  local -a spaced unspaced
  for c in $candidates; do [[ $c == *: ]] && unspaced+=$c || spaced+=$c; done
  compadd -- $spaced
  compadd -S '' -- $unspaced
}
compdef _mity mity
`;
    case "fish":
      return `# mity completion for fish: mity --completion fish > ~/.config/fish/completions/mity.fish
complete -c mity -f -a '(mity --get-completions -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`;
  }
}
