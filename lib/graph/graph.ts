import type { IncludedRepository } from "../config/includes.js";
import type { ParamSpec, RunFunction } from "../types.js";

/** A task as the scheduler sees it: validated, with full names and absolute paths. */
export interface TaskNode {
  /** Full name, namespaces included. */
  readonly name: string;
  /** The mityfile that declares it. */
  readonly file: string;
  /** Its namespace (`""` at the root). */
  readonly namespace: string;
  readonly description: string | undefined;
  /** Full names of its deps, in the declared order. */
  readonly deps: readonly string[];
  readonly concurrent: boolean | undefined;
  /** Shell commands run in order, a function, or nothing (a group of deps). */
  readonly run: readonly string[] | RunFunction | undefined;
  readonly cwd: string;
  /** The mityfile's `env` and the task's own, merged. */
  readonly env: Readonly<Record<string, string>>;
  /** The mityfile's `env` alone (it comes before dotenv files). */
  readonly fileEnv: Readonly<Record<string, string>>;
  /** The task's own `env` (it comes after dotenv files). */
  readonly ownEnv: Readonly<Record<string, string>>;
  /** Its `secrets` after those of its file and the files that include it: later entries win. */
  readonly secrets: readonly string[];
  /** Absolute paths of `.env` files, in order. */
  readonly dotenv: readonly string[];
  /** Those of `dotenv` that may be missing (left out then). */
  readonly optionalDotenv?: readonly string[];
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly confirm: string | undefined;
  /** Globs (relative to `cwd`) of the files the task reads, for up-to-date checks. */
  readonly inputs: readonly string[];
  /** Globs (relative to `cwd`) of the files the task writes. */
  readonly outputs: readonly string[];
  readonly hidden: boolean;
  /** Milliseconds. */
  readonly timeout: number | undefined;
  /** Runs after a failed one before the task fails (0 when unset). */
  readonly retries?: number;
  readonly interactive: boolean;
  readonly lock: string | undefined;
  /** The pool of workers that runs the task's own work; undefined: this machine. */
  readonly pool?: string | undefined;
  /** Set for a `service: true` task: when it counts as ready (no check: once it started). */
  readonly service?: ServiceNode | undefined;
}

/** A service's readiness check, checked and with its defaults. */
export interface ServiceNode {
  readonly ready: { readonly log: RegExp } | { readonly port: number; readonly host: string } | undefined;
  /** Milliseconds to wait for readiness. */
  readonly timeout: number;
}

/** All tasks of a mityfile and the files it includes. */
export interface Graph {
  /** The root mityfile. */
  readonly file: string;
  /** The root mityfile's directory (`MITY_ROOT`). */
  readonly root: string;
  readonly tasks: ReadonlyMap<string, TaskNode>;
  readonly defaultTask: string | undefined;
  readonly hooks: Readonly<Record<string, readonly string[]>>;
  /** The files the graph was built from: every mityfile loaded and the local modules they import (absent: the mityfiles alone). */
  readonly files?: readonly string[];
  /** Included repositories not cloned yet (only in a graph loaded with `partial`): their tasks are absent. */
  readonly missing?: readonly IncludedRepository[];
}
