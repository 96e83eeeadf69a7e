/** Longest line kept whole: a longer one is passed on in pieces of this size, so memory stays bounded. */
export const MAX_LINE = 64 * 1024;

/** Cuts a stream of text into lines (without `\n` or `\r\n`), calling `onLine` for each. */
export class LineSplitter {
  #pending = "";
  // After a forced cut, a line ending right away is the end of the cut line, not an empty line.
  #justCut = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let text = this.#pending + chunk;
    // A cursor, not slicing off what was read: one new string per line, whatever the chunk holds.
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const line = text.slice(start, end);
      if (!(this.#justCut && line === "")) this.onLine(line);
      this.#justCut = false;
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    if (start > 0) text = text.slice(start);
    while (text.length > MAX_LINE) {
      // Never cut between the two halves of a character outside the basic plane (an emoji).
      const high = text.charCodeAt(MAX_LINE - 1);
      const cut = high >= 0xd800 && high <= 0xdbff ? MAX_LINE - 1 : MAX_LINE;
      this.onLine(text.slice(0, cut));
      this.#justCut = true;
      text = text.slice(cut);
    }
    this.#pending = text;
  }

  /** Passes on what is left after the last newline. */
  end(): void {
    const rest = this.#pending.endsWith("\r") ? this.#pending.slice(0, -1) : this.#pending;
    if (rest !== "") this.onLine(rest);
    this.#pending = "";
  }
}
