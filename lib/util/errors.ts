/** Where a user error comes from: shown before the message so it can be found. */
export interface ErrorPlace {
  file?: string;
  task?: string;
  field?: string;
}

/** A mistake of the user's (bad mityfile, unknown task, bad option): printed as a message, no stack. */
export class MityError extends Error {
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

export const isMityError = (error: unknown): error is MityError => error instanceof MityError;
