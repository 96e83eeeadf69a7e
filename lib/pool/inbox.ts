import type { Redis } from "ioredis";
import type { StreamEntry } from "./protocol.js";

type Reply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Reads the output streams of every job the coordinator waits for on one connection: a blocking XREAD
 * over all of them, woken by an entry on the run's own stream when a job is added.
 */
export class Inbox {
  readonly #followed = new Map<string, { last: string; onEntry: (entry: StreamEntry) => void }>();
  readonly #wakeKey: string;
  #wakeLast = "$";
  #closed = false;
  /** When Redis last answered: a silence longer than the lock period means it is lost. */
  lastContact: number;

  constructor(readonly reader: Redis, readonly writer: Redis, runId: string, readonly now: () => number, readonly onTrouble: (error: unknown) => void) {
    this.#wakeKey = `mity:wake:${runId}`;
    this.lastContact = now();
  }

  /** Calls `onEntry` for each entry of the stream, in order, from its beginning; returns how to stop. */
  follow(key: string, onEntry: (entry: StreamEntry) => void): () => void {
    this.#followed.set(key, { last: "0", onEntry });
    return () => this.#followed.delete(key);
  }

  /** Makes the reader take the streams followed since it began waiting. */
  wake(): Promise<unknown> {
    return this.writer.xadd(this.#wakeKey, "MAXLEN", "~", "10", "*", "w", "1");
  }

  async loop(): Promise<void> {
    this.#wakeLast = (await this.writer.xadd(this.#wakeKey, "MAXLEN", "~", "10", "*", "w", "0")) ?? "0";
    await this.writer.expire(this.#wakeKey, 24 * 3600);
    while (!this.#closed) {
      const keys = [...this.#followed.keys()];
      const ids = keys.map((key) => this.#followed.get(key)!.last);
      let reply: Reply;
      try {
        reply = (await this.reader.xread("BLOCK", 1000, "STREAMS", this.#wakeKey, ...keys, this.#wakeLast, ...ids)) as Reply;
      } catch (error) {
        if (this.#closed) return;
        this.onTrouble(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      this.lastContact = this.now();
      for (const [key, entries] of reply ?? []) {
        if (key === this.#wakeKey) {
          this.#wakeLast = entries.at(-1)![0];
          continue;
        }
        const followed = this.#followed.get(key);
        if (!followed) continue;
        for (const [id, fields] of entries) {
          followed.last = id;
          followed.onEntry(JSON.parse(fields[1]!) as StreamEntry);
          // The job may have ended on this entry and stopped being followed.
          if (!this.#followed.has(key)) break;
        }
      }
    }
  }

  close(): void {
    this.#closed = true;
  }
}
