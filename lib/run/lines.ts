/** Longest line kept whole: a longer one is passed on in pieces of this size, so memory stays bounded. */
export const MAX_LINE = 64 * 1024;

/** Cuts a stream of text into lines (without `\n` or `\r\n`), calling `onLine` for each. */
export class LineSplitter {
  #pending = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let text = this.#pending + chunk;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      this.onLine(text.charCodeAt(newline - 1) === 13 ? text.slice(0, newline - 1) : text.slice(0, newline));
      text = text.slice(newline + 1);
      newline = text.indexOf("\n");
    }
    while (text.length > MAX_LINE) {
      this.onLine(text.slice(0, MAX_LINE));
      text = text.slice(MAX_LINE);
    }
    this.#pending = text;
  }

  /** Passes on what is left after the last newline. */
  end(): void {
    if (this.#pending !== "") this.onLine(this.#pending.endsWith("\r") ? this.#pending.slice(0, -1) : this.#pending);
    this.#pending = "";
  }
}
