import { WindowedSums } from './WindowedSums.js';

/**
 * Scores (feedback and shadow, 0 to 1) over a sliding window, in the same fixed slots as
 * `WindowedCounts`: how many arrived and their sum, so a quality objective reads the window's mean.
 */
export class WindowedScores {
  readonly #sums: WindowedSums;

  constructor(windowMs: number, slots?: number) {
    this.#sums = new WindowedSums(windowMs, slots);
  }

  /** A score that arrived at `now`. */
  add(score: number, now: number): void {
    this.#sums.add(1, score, now);
  }

  /** Takes out a score added at `at` (a replaced feedback), if its slot is still in the window ending `now`. */
  remove(score: number, at: number, now: number): void {
    this.#sums.takeBack(1, score, at, now);
  }

  /** Scores within the window ending `now`: how many, and their sum. */
  totals(now: number): { readonly samples: number; readonly sum: number } {
    const [samples, sum] = this.#sums.totals(now);
    return { samples, sum };
  }
}
