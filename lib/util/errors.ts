/** The errors mity gives its users: MityError for their mistakes, CommandError for a failed `ctx.sh` command. */

import { oneLine } from "./one-line.js";

/** Where a user error comes from: shown before the message so it can be found. */
export interface ErrorPlace {
  file?: string;
  task?: string;
  field?: string;
}

/**
 * `instanceof` for a class that exists twice in one process: mity's command line runs from a bundle,
 * while a mityfile imports the `mity` package. Instances carry a mark shared by both copies.
 */
function markedInstance(mark: symbol): (this: Function, value: unknown) => boolean {
  return function (this: Function, value: unknown) {
    // A subclass inherits this method: for it, the ordinary prototype check.
    if (!Object.prototype.hasOwnProperty.call(this, Symbol.hasInstance)) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && mark in value;
  };
}

const MITY_ERROR = Symbol.for("mity.MityError");

/** A mistake of the user's (bad mityfile, unknown task, bad option): printed as a message, no stack. */
export class MityError extends Error {
  static override [Symbol.hasInstance] = markedInstance(MITY_ERROR);
  declare readonly [MITY_ERROR]: true;

  readonly file: string | undefined;
  readonly task: string | undefined;
  readonly field: string | undefined;

  constructor(message: string, place: ErrorPlace = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = "MityError";
    this.file = place.file;
    this.task = place.task;
    this.field = place.field;
  }

  /** `file: task "x", field "deps": message`, leaving out what is unknown. */
  describe(): string {
    const where: string[] = [];
    if (this.task !== undefined) where.push(`task "${this.task}"`);
    if (this.field !== undefined) where.push(`field "${this.field}"`);
    const head = [this.file, where.join(", ")].filter(Boolean).join(": ");
    return head ? `${head}: ${this.message}` : this.message;
  }
}

Object.defineProperty(MityError.prototype, MITY_ERROR, { value: true });

export const isMityError = (error: unknown): error is MityError => error instanceof MityError;

const COMMAND_ERROR = Symbol.for("mity.CommandError");

/** A command of `ctx.sh` that failed: carries its exit code. */
export class CommandError extends Error {
  static override [Symbol.hasInstance] = markedInstance(COMMAND_ERROR);
  declare readonly [COMMAND_ERROR]: true;

  readonly exitCode: number;
  readonly command: string;

  constructor(command: string, exitCode: number) {
    super(`command failed with exit code ${exitCode}: ${oneLine(command)}`);
    this.name = "CommandError";
    this.exitCode = exitCode;
    this.command = command;
  }
}

Object.defineProperty(CommandError.prototype, COMMAND_ERROR, { value: true });
