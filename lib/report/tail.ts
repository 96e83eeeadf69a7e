/** Lines gathered before they are joined into one string: few long-lived objects, whatever the output. */
const BLOCK_LINES = 1024;

/**
 * The last lines of a task's output, up to `limit` characters (each line counts its newline; the newest
 * line is kept whole however long). Lines are joined into blocks as they come and whole blocks are
 * dropped from the front, so adding a line costs the same however many came before it, and memory holds
 * a few large strings rather than one object per line.
 */
export class Tail {
  #blocks: { text: string; lines: number; chars: number }[] = [];
  #chars = 0;
  #current: string[] = [];
  #currentChars = 0;
  #dropped = 0;

  constructor(readonly limit: number) {}

  push(line: string): void {
    this.#current.push(line);
    this.#currentChars += line.length + 1;
    if (this.#current.length >= BLOCK_LINES || this.#currentChars >= this.limit / 8) this.#seal();
  }

  /** The kept lines, oldest first, and how many earlier ones were left out. */
  kept(): { lines: string[]; dropped: number } {
    const lines: string[] = [];
    for (const block of this.#blocks) for (const line of block.text.split("\n")) lines.push(line);
    for (const line of this.#current) lines.push(line);
    // Blocks are dropped whole: the first kept one may still hold lines beyond the limit.
    let chars = this.#chars + this.#currentChars;
    let first = 0;
    while (chars > this.limit && first < lines.length - 1) chars -= lines[first++]!.length + 1;
    return { lines: first === 0 ? lines : lines.slice(first), dropped: this.#dropped + first };
  }

  #seal(): void {
    this.#blocks.push({ text: this.#current.join("\n"), lines: this.#current.length, chars: this.#currentChars });
    this.#chars += this.#currentChars;
    this.#current = [];
    this.#currentChars = 0;
    // A block goes once the ones after it hold the limit by themselves.
    while (this.#blocks.length > 1 && this.#chars - this.#blocks[0]!.chars >= this.limit) {
      const oldest = this.#blocks.shift()!;
      this.#chars -= oldest.chars;
      this.#dropped += oldest.lines;
    }
  }
}
