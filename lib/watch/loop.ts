import { relative } from "node:path";
import type { Graph } from "../graph/graph.js";
import { orderTasks, resolveRequested, selectTasks } from "../graph/plan.js";
import type { ChangeEvent } from "../run/events.js";
import { isMityError, MityError } from "../util/errors.js";
import { withDependents } from "./affected.js";
import { Debounce } from "./debounce.js";
import { isOutput, tasksMatching, watchTargets, type Targets } from "./targets.js";
import type { FileWatcher } from "./watcher.js";

/** One run of watch mode: the tasks to run (with their deps), the ones passed over, and why. */
export interface Round {
  names: readonly string[];
  /** Selected tasks left alone this time: they run only if none of this set. */
  unaffected: ReadonlySet<string>;
  change: ChangeEvent | undefined;
}

/** A round under way. */
export interface RoundHandle {
  done: Promise<unknown>;
  /**
   * Runs these tasks again within the round (a running one is stopped first, its dependents follow);
   * returns those it could not take (not part of this round), which run once it ends.
   */
  restart?: ((names: readonly string[], change: ChangeEvent) => readonly string[]) | undefined;
}

/** What watch mode needs from the command line that drives it. */
export interface WatchHost {
  graph: Graph;
  /** The task names as given. */
  requested: readonly string[];
  reload(): Promise<Graph>;
  run(graph: Graph, round: Round): RoundHandle;
  watch(targets: Targets, onPath: (path: string) => void): Promise<FileWatcher>;
  /** Says something about the watch (on stderr). */
  say(line: string): void;
  /** Milliseconds a burst of changes must be quiet before the rerun. */
  quietMs: number;
}

/**
 * Runs the requested tasks, then again for each change: exactly the tasks whose inputs changed and
 * what depends on them. A changed mityfile is loaded again; an invalid one is reported and the last
 * good graph goes on. Runs until `stop()`.
 */
export class WatchLoop {
  #graph: Graph;
  #names: string[];
  #targets: Targets;
  #watcher: FileWatcher | undefined;
  #current: RoundHandle | undefined;
  /** Changes seen while a round ran that could not be restarted in it: the next round's. */
  #queued: { tasks: Set<string>; change: ChangeEvent } | undefined;
  #debounce: Debounce;
  #stopped = false;
  #ended!: () => void;
  #batches = Promise.resolve();

  constructor(private readonly host: WatchHost) {
    this.#graph = host.graph;
    this.#names = resolveRequested(host.graph, host.requested);
    this.#targets = this.#targetsOf(this.#graph, this.#names);
    // Batches are handled one after another: a reload must finish before the next change is matched.
    this.#debounce = new Debounce(host.quietMs, (paths) => (this.#batches = this.#batches.then(() => this.#onBatch(paths)).catch((error) => host.say(`watch: ${String(error)}`))));
  }

  /** Runs until stopped; resolves once the watcher is closed and the last round has ended. */
  async start(): Promise<void> {
    const ended = new Promise<void>((resolve) => (this.#ended = resolve));
    // The first run does not wait for the watcher: on a large tree it takes seconds to be ready.
    this.#round({ names: this.#names, unaffected: new Set(), change: undefined });
    this.#watcher = await this.host.watch(this.#targets, (path) => this.#debounce.add(path));
    if (this.#stopped) return void (await this.#watcher.close());
    this.host.say(`watching ${this.#describe()} (Ctrl-C to stop)`);
    await ended;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#debounce.close();
    await this.#watcher?.close();
    await this.#current?.done;
    this.#ended?.();
  }

  #targetsOf(graph: Graph, names: readonly string[]): Targets {
    const selection = selectTasks(graph, names);
    const targets = watchTargets(graph, selection);
    if (targets.inputs.size === 0) {
      const which = selection.map((task) => task.name).join(", ");
      throw new MityError(`--watch: nothing to watch: none of ${which} declares inputs. Add inputs (globs of the files a task reads, e.g. inputs: ["src/**/*.ts"]) to the tasks a change should rerun`, { file: graph.file });
    }
    return targets;
  }

  #describe(): string {
    const root = this.#graph.root;
    const parts = [...this.#targets.inputs].map(([task, patterns]) => `${patterns.map((pattern) => relative(root, pattern.base) || ".").join(", ")} for ${task}`);
    const files = this.#targets.mityfiles.size;
    return `${parts.join("; ")}, and ${files === 1 ? "the mityfile" : `the mityfiles and the modules they import (${files} files)`}`;
  }

  async #onBatch(changed: string[]): Promise<void> {
    const paths = changed.filter((path) => !isOutput(this.#targets, path));
    if (this.#stopped || paths.length === 0) return;
    const reloaded = paths.some((path) => this.#targets.mityfiles.has(path)) && (await this.#reload());
    const selection = selectTasks(this.#graph, this.#names);
    const affected = reloaded ? new Set(selection.map((task) => task.name)) : withDependents(selection, tasksMatching(this.#targets, paths));
    if (affected.size === 0 || this.#stopped) return;
    const order = orderTasks(this.#graph, this.#names).map((task) => task.name).filter((name) => affected.has(name));
    const root = this.#graph.root;
    // Time 0: the start of the run it begins; told inside a running run, it takes that run's time.
    const change: ChangeEvent = { event: "change", paths: paths.map((path) => relative(root, path)), tasks: order, ...(reloaded ? { mityfile: true } : {}), time: 0 };
    if (this.#current) {
      const left = this.#current.restart ? this.#current.restart(order, change) : order;
      if (left.length === 0) return;
      // The run under way cannot take them: they run again once it ends.
      const tasks = new Set([...(this.#queued?.tasks ?? []), ...left]);
      this.#queued = { tasks, change: { ...change, tasks: [...tasks], paths: [...new Set([...(this.#queued?.change.paths ?? []), ...change.paths])] } };
      return;
    }
    this.#round(this.#roundOf(affected, change));
  }

  #roundOf(affected: ReadonlySet<string>, change: ChangeEvent): Round {
    const selection = selectTasks(this.#graph, this.#names);
    const unaffected = new Set(selection.filter((task) => !affected.has(task.name)).map((task) => task.name));
    return { names: change.tasks, unaffected, change };
  }

  /** Loads the mityfile again; on success watches what the new one names. False when it is invalid. */
  async #reload(): Promise<boolean> {
    try {
      const graph = await this.host.reload();
      const names = resolveRequested(graph, this.host.requested);
      const targets = this.#targetsOf(graph, names);
      await this.#watcher?.close();
      this.#graph = graph;
      this.#names = names;
      this.#targets = targets;
      this.#watcher = await this.host.watch(targets, (path) => this.#debounce.add(path));
      return true;
    } catch (error) {
      if (!isMityError(error)) throw error;
      this.host.say(`${error.describe()}\nmity: the mityfile is not valid: the last good one goes on (fix it and save again)`);
      return false;
    }
  }

  #round(round: Round): void {
    const handle = this.host.run(this.#graph, round);
    this.#current = handle;
    void handle.done.finally(() => {
      this.#current = undefined;
      const queued = this.#queued;
      this.#queued = undefined;
      if (this.#stopped) return;
      if (queued) this.#round(this.#roundOf(withDependents(selectTasks(this.#graph, this.#names), queued.tasks), queued.change));
      else this.host.say("waiting for changes (Ctrl-C to stop)");
    });
  }
}
