import { relative } from "node:path";
import type { Graph, TaskNode } from "../graph/graph.js";
import { orderTasks } from "../graph/plan.js";
import { jobFiles, type JobFiles } from "./job-files.js";
import { jobIds } from "./job-ids.js";
import { jobInputs, MAX_INPUTS } from "./workflow-inputs.js";
import { key, toYaml, type YamlValue } from "./yaml.js";

/** How the workflow starts mity, and where. */
export interface WorkflowSettings {
  /** The mityfile's `ci.runsOn`: a task's pool to runner labels. */
  runsOn: Readonly<Record<string, readonly string[]>>;
  /** The command line that wrote the workflow, for its first comment. */
  command: string;
  /** `npx mity` with the project's own lock file (after `npm ci`), else a pinned `npx --yes mity@<version>`. */
  lockFile: boolean;
  version: string;
  /** The root mityfile's folder relative to the repository's top, when it is not the top. */
  workingDirectory: string | undefined;
  /** Some include names a git repository: `mity --sync` runs first. */
  sync: boolean;
}

/** A GitHub Actions workflow: one job per task that runs something, `needs:` from its deps. */
export function githubWorkflow(graph: Graph, names: readonly string[], settings: WorkflowSettings): { text: string; warnings: string[] } {
  const jobs = orderTasks(graph, names).filter((task) => task.run !== undefined);
  const ids = jobIds(jobs.map((task) => task.name));
  const inputs: Record<string, YamlValue> = {};
  const warnings: string[] = [];
  const body: string[] = [];
  const needs = jobNeeds(graph);
  const files = jobFiles(graph, jobs, ids, settings.workingDirectory ?? "");
  for (const task of jobs) {
    const id = ids.get(task.name)!;
    const given = jobInputs(task, id, MAX_INPUTS - Object.keys(inputs).length);
    Object.assign(inputs, given.inputs);
    const notes = [...given.notes, ...taskNotes(task, graph.root, settings), ...files.notes(task)];
    for (const note of notes) warnings.push(`${task.name}: ${note}`);
    body.push(...notes.map((note) => `  # ${task.name}: ${note}`));
    body.push(`  ${key(id)}:`, toYaml(jobOf(task, needs(task).map((name) => ids.get(name)!), given, settings, files), 4).trimEnd());
  }
  const dispatch: YamlValue = Object.keys(inputs).length > 0 ? { inputs } : {};
  const head = toYaml({ name: "mity", on: { push: {}, pull_request: {}, workflow_dispatch: dispatch }, permissions: { contents: "read" } });
  const text = [`# Written by "${settings.command}": write it again after changing the mityfile.`, head.trimEnd(), "jobs:", ...body].join("\n") + "\n";
  return { text, warnings };
}

/** A job's `needs`: the tasks it depends on that are jobs; a group (no `run`) gives its own deps instead. */
function jobNeeds(graph: Graph): (task: TaskNode) => string[] {
  const known = new Map<string, string[]>();
  const through = (name: string): string[] => {
    const task = graph.tasks.get(name)!;
    if (task.run !== undefined) return [name];
    let found = known.get(name);
    if (!found) known.set(name, (found = [...new Set(task.deps.flatMap(through))]));
    return found;
  };
  return (task) => [...new Set(task.deps.flatMap(through))];
}

function jobOf(task: TaskNode, needs: string[], given: ReturnType<typeof jobInputs>, settings: WorkflowSettings, files: JobFiles): YamlValue {
  const job: Record<string, YamlValue> = { name: task.name };
  if (needs.length > 0) job.needs = needs;
  // A question or a required input needs a person: such a job runs only when started by hand.
  if (task.confirm !== undefined || given.required) job.if = "github.event_name == 'workflow_dispatch'";
  const pool = poolOf(task);
  job["runs-on"] = pool === undefined ? "ubuntu-latest" : [...(settings.runsOn[pool] ?? ["self-hosted", pool])];
  if (task.timeout !== undefined) job["timeout-minutes"] = Math.max(1, Math.ceil(task.timeout / 60_000));
  if (settings.workingDirectory !== undefined) job.defaults = { run: { "working-directory": settings.workingDirectory } };
  if (Object.keys(given.env).length > 0) job.env = given.env;
  const mity = settings.lockFile ? "npx mity" : `npx --yes mity@${settings.version}`;
  const steps: YamlValue[] = [{ uses: "actions/checkout@v4" }, { uses: "actions/setup-node@v4", with: { "node-version": 20 } }];
  if (settings.lockFile) steps.push({ run: "npm ci" });
  if (settings.sync) steps.push({ run: `${mity} --sync` });
  const command = `${mity} ${task.name} --no-deps${task.confirm !== undefined ? " --yes" : ""}`;
  const run = given.lines.length === 0 ? command : ["set --", ...given.lines, `${command} "$@"`].join("\n");
  steps.push(...files.before(task), { name: task.name, run }, ...files.after(task));
  job.steps = steps;
  return job;
}

/** The pool a task runs in, where the mityfile says one. */
const poolOf = (task: TaskNode): string | undefined => {
  const pool = (task as { pool?: unknown }).pool;
  return typeof pool === "string" ? pool : undefined;
};

/** What a job does not carry over from its task, said in the workflow and on stderr. */
function taskNotes(task: TaskNode, root: string, settings: WorkflowSettings): string[] {
  const notes: string[] = [];
  const pool = poolOf(task);
  if (pool !== undefined && settings.runsOn[pool] === undefined) notes.push(`pool "${pool}" has no labels in ci.runsOn: runs on [self-hosted, ${pool}]`);
  if (task.confirm !== undefined) notes.push("asks to confirm: runs only when started by hand, with --yes");
  if (task.lock !== undefined) notes.push(`lock "${task.lock}" does not hold between jobs: jobs sharing it may run at the same time`);
  if (task.interactive) notes.push("is interactive: in CI it runs without a terminal");
  for (const file of task.dotenv) if (!task.optionalDotenv?.includes(file)) notes.push(`reads ${relative(root, file)}, which is seldom committed: write it in a step before, from the repository's secrets`);
  if (task.secrets.length > 0) notes.push(`masks ${task.secrets.join(", ")}: give their values as job env from the repository's secrets`);
  return notes;
}
