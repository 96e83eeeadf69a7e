/**
 * The last lines of a task's output, up to `limit` characters; older lines are dropped as new ones come.
 * Adding a line costs the same however many were kept or dropped before it.
 */
export class Tail {
  #lines: string[] = [];
  // Lines before `#head` are dropped: they are cut away in one copy once they are half the array, so
  // each line is copied a bounded number of times (Array.shift copies every kept line, every time).
  #head = 0;
  #chars = 0;
  /** How many lines were dropped to stay within `limit`. */
  dropped = 0;

  constructor(readonly limit: number) {}

  push(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length + 1;
    while (this.#chars > this.limit && this.#lines.length - this.#head > 1) {
      this.#chars -= this.#lines[this.#head]!.length + 1;
      this.#lines[this.#head++] = "";
      this.dropped++;
    }
    if (this.#head >= 1024 && this.#head * 2 >= this.#lines.length) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    return this.#lines.slice(this.#head);
  }

  get size(): number {
    return this.#lines.length - this.#head;
  }
}
