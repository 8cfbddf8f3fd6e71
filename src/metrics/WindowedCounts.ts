import { WindowedSums } from './WindowedSums.js';

/** Calls and errors over a sliding window, in the same fixed slots as `WindowedHistogram`. */
export class WindowedCounts {
  readonly #sums: WindowedSums;

  constructor(windowMs: number, slots?: number) {
    this.#sums = new WindowedSums(windowMs, slots);
  }

  record(ok: boolean, now: number): void {
    this.#sums.add(1, ok ? 0 : 1, now);
  }

  /** Calls and errors within the window ending `now`. */
  totals(now: number): { readonly requests: number; readonly errors: number } {
    const [requests, errors] = this.#sums.totals(now);
    return { requests, errors };
  }
}
