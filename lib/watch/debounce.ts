/**
 * Collects changed paths and hands them on once no new one came for `quietMs`: an editor's save, a
 * formatter or a `git checkout` is a burst of events, and it makes one rerun.
 */
export class Debounce {
  #paths = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly quietMs: number,
    private readonly onBatch: (paths: string[]) => void,
  ) {}

  add(path: string): void {
    this.#paths.add(path);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), this.quietMs);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#paths.clear();
  }

  #fire(): void {
    const paths = [...this.#paths];
    this.#paths.clear();
    if (paths.length > 0) this.onBatch(paths);
  }
}
