/**
 * Tracks of a profile that hold one thing at a time: each interval goes to the lowest-numbered track
 * free since its start, so a track's intervals never overlap (a trace viewer would nest them).
 */
export class Lanes {
  /** When each track's last interval ends; Infinity while it is open. */
  readonly #ends: number[] = [];

  /** A track for an interval that starts at `from`, held until `free`. Tracks are numbered from 1. */
  take(from: number): number {
    let index = this.#ends.findIndex((end) => end <= from);
    if (index === -1) index = this.#ends.push(0) - 1;
    this.#ends[index] = Number.POSITIVE_INFINITY;
    return index + 1;
  }

  free(track: number, at: number): void {
    this.#ends[track - 1] = at;
  }

  /** The numbers of the tracks used so far. */
  names(): number[] {
    return this.#ends.map((_, index) => index + 1);
  }
}
