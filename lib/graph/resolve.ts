import { dirname, resolve as resolvePath } from "node:path";
import type { IncludedRepository, MityfileSource } from "../config/includes.js";
import type { DotenvFile, ParamSpec, TaskConfig } from "../types.js";
import { MityError } from "../util/errors.js";
import { parseDuration } from "../util/duration.js";
import { findCycle } from "./cycle.js";
import type { Graph, ServiceNode, TaskNode } from "./graph.js";
import { qualify, resolveDep } from "./names.js";
import { didYouMean } from "./suggest.js";
import { validateConfig } from "./validate.js";

const EMPTY_LIST: readonly never[] = Object.freeze([]);
const EMPTY_RECORD: Readonly<Record<string, never>> = Object.freeze({});
const frozenList = <T>(items: readonly T[]): readonly T[] => (items.length === 0 ? EMPTY_LIST : Object.freeze([...items]));
const frozenRecord = <T>(record: Readonly<Record<string, T>> | undefined): Readonly<Record<string, T>> =>
  record === undefined || Object.keys(record).length === 0 ? EMPTY_RECORD : Object.freeze({ ...record });

/** A mityfile checked, with the namespace its tasks live in. */
type CheckedFile = Omit<MityfileSource, "config"> & { config: ReturnType<typeof validateConfig> };
/** A task as its mityfile declares it, by full name. */
type Declared = Map<string, { file: string; namespace: string; task: TaskConfig }>;
/** What a namespace gives each of its tasks: its mityfile's env (frozen, shared) and secrets, with those of the files above it. */
type Scope = { env: Readonly<Record<string, string>>; secrets: readonly string[] };
type Scopes = Map<string, Scope>;

/**
 * Turns loaded mityfiles (the root first) into one checked graph of tasks with full names. Names that
 * point into a repository not cloned yet (`missing`) are left out, so the rest can still be listed.
 */
export function resolveGraph(sources: readonly MityfileSource[], missing: readonly IncludedRepository[] = []): Graph {
  const absent = (name: string, namespace: string) => missing.length > 0 && pointsInto(name, namespace, missing);
  const root = sources[0];
  if (!root) throw new Error("resolveGraph needs at least the root mityfile");
  const configs: CheckedFile[] = sources.map((source) => ({ ...source, config: validateConfig(source.file, source.config) }));
  const declared = declareTasks(configs);
  const scopes = namespaceScopes(configs);
  // Most tasks run in their file's folder: resolve it once per file, not once per task.
  const fileDirs = new Map(configs.map(({ file }) => [file, resolvePath(dirname(file))]));
  const tasks = new Map<string, TaskNode>();
  for (const [name, { file, namespace, task }] of declared) {
    const declaredDeps = missing.length === 0 ? task.deps ?? EMPTY_LIST : (task.deps ?? EMPTY_LIST).filter((dep) => !absent(dep, namespace));
    const deps = declaredDeps.map((dep) => {
      const found = resolveDep(dep, namespace, (candidate) => declared.has(candidate));
      if (found === undefined) {
        throw new MityError(`depends on "${dep}", which does not exist.${didYouMean(dep, declared.keys())}`, { file, task: name, field: "deps" });
      }
      if (found === name) throw new MityError("a task cannot depend on itself", { file, task: name, field: "deps" });
      return found;
    });
    tasks.set(name, taskNode(name, file, namespace, task, deps, fileDirs.get(file)!, scopes.get(namespace)!));
  }
  const cycle = findCycle(tasks.keys(), (name) => tasks.get(name)!.deps);
  if (cycle) {
    const first = tasks.get(cycle[0]!)!;
    throw new MityError(`dependency cycle: ${cycle.join(" -> ")}`, { file: first.file, task: first.name, field: "deps" });
  }
  const lookup = (name: string, field: string) => {
    if (absent(name, "")) return undefined;
    const found = resolveDep(name, "", (candidate) => tasks.has(candidate));
    if (found === undefined) throw new MityError(`names "${name}", which does not exist.${didYouMean(name, tasks.keys())}`, { file: root.file, field });
    return found;
  };
  const { default: named, hooks: hookNames } = configs[0]!.config;
  const defaultTask = named === undefined ? undefined : lookup(named, "default");
  const hooks = Object.fromEntries(Object.entries(hookNames ?? {}).map(([hook, names]) => [hook, names.map((name) => lookup(name, `hooks.${hook}`)).filter((name) => name !== undefined)]));
  const files = frozenList([...new Set(sources.flatMap((source) => source.modules ?? [source.file]))]);
  return Object.freeze({ file: root.file, root: dirname(root.file), tasks, defaultTask, hooks, files, ...(missing.length > 0 ? { missing } : {}) });
}

/** Every task of every file by its full name; a name declared twice is refused. */
function declareTasks(configs: readonly CheckedFile[]): Declared {
  const declared: Declared = new Map();
  for (const { file, namespace, config } of configs) {
    const own = config.tasks as Record<string, TaskConfig>;
    for (const name of Object.keys(own)) {
      const full = qualify(namespace, name);
      const earlier = declared.get(full);
      if (earlier) throw new MityError(`duplicate task name "${full}": also declared in ${earlier.file}`, { file, task: name });
      declared.set(full, { file, namespace, task: own[name]! });
    }
  }
  return declared;
}

/** A mityfile's env and secrets reach the tasks of the files it includes, theirs winning: one frozen env per file, so 10,000 tasks make no 10,000 copies. */
function namespaceScopes(configs: readonly CheckedFile[]): Scopes {
  const scopes: Scopes = new Map();
  for (const { namespace, config } of configs) {
    const parent = scopes.get(namespace.includes(":") ? namespace.slice(0, namespace.lastIndexOf(":")) : "");
    const above = namespace ? parent : undefined;
    scopes.set(namespace, {
      env: Object.freeze({ ...above?.env, ...config.env }),
      secrets: frozenList([...(above?.secrets ?? []), ...(config.secrets ?? [])]),
    });
  }
  return scopes;
}

function taskNode(name: string, file: string, namespace: string, task: TaskConfig, deps: readonly string[], fileDir: string, scope: Scope): TaskNode {
  const run = typeof task.run === "string" ? [task.run] : task.run;
  const cwd = task.cwd === undefined ? fileDir : resolvePath(fileDir, task.cwd);
  const dotenv = dotenvFiles(task.dotenv, cwd);
  return Object.freeze<TaskNode>({
    name,
    file,
    namespace,
    description: task.description,
    deps: frozenList(deps.length < 2 ? deps : [...new Set(deps)]),
    concurrent: task.concurrent,
    run: Array.isArray(run) ? Object.freeze([...run]) : run,
    cwd,
    env: task.env ? Object.freeze({ ...scope.env, ...task.env }) : scope.env,
    fileEnv: scope.env,
    ownEnv: frozenRecord(task.env),
    secrets: task.secrets ? frozenList([...scope.secrets, ...task.secrets]) : scope.secrets,
    dotenv: dotenv.paths,
    optionalDotenv: dotenv.optional,
    params: frozenRecord(task.params as Record<string, ParamSpec> | undefined),
    confirm: task.confirm,
    inputs: frozenList(task.inputs ?? []),
    outputs: frozenList(task.outputs ?? []),
    hidden: task.hidden ?? false,
    timeout: task.timeout === undefined ? undefined : parseDuration(task.timeout),
    retries: task.retries ?? 0,
    interactive: task.interactive ?? false,
    lock: task.lock,
    ...(task.service ? { service: serviceNode(task.ready) } : {}),
    ...(task.pool === undefined ? {} : { pool: task.pool }),
  });
}

/** Whether a name, looked up from `namespace`, could only be a task of a repository not cloned yet. */
function pointsInto(name: string, namespace: string, missing: readonly IncludedRepository[]): boolean {
  const parts = namespace ? namespace.split(":") : [];
  const candidates = name.startsWith(":") ? [name.slice(1)] : parts.map((_, depth) => qualify(parts.slice(0, depth + 1).join(":"), name)).concat(name);
  return candidates.some((candidate) => missing.some((repository) => candidate.startsWith(`${repository.namespace}:`)));
}

/** A task's dotenv files as absolute paths, and which of them may be missing. */
function dotenvFiles(declared: TaskConfig["dotenv"], cwd: string): { paths: readonly string[]; optional: readonly string[] } {
  if (declared === undefined) return { paths: EMPTY_LIST, optional: EMPTY_LIST };
  const entries: readonly (string | DotenvFile)[] = typeof declared === "string" || !Array.isArray(declared) ? [declared as string | DotenvFile] : declared;
  const files = entries.map((entry) => (typeof entry === "string" ? { path: entry } : entry));
  return {
    paths: frozenList(files.map((file) => resolvePath(cwd, file.path))),
    optional: frozenList(files.filter((file) => file.optional).map((file) => resolvePath(cwd, file.path))),
  };
}

/** How long a service may take to be ready unless its `ready.timeout` says otherwise. */
const READY_TIMEOUT = 30_000;

function serviceNode(ready: TaskConfig["ready"]): ServiceNode {
  const timeout = ready?.timeout === undefined ? READY_TIMEOUT : parseDuration(ready.timeout)!;
  if (ready === undefined) return { ready: undefined, timeout };
  const check = "log" in ready ? { log: new RegExp(ready.log) } : { port: ready.port, host: ready.host ?? "127.0.0.1" };
  return Object.freeze({ ready: Object.freeze(check), timeout });
}
