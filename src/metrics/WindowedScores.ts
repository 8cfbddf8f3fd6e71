/**
 * Scores (feedback and shadow, 0 to 1) over a sliding window, in the same fixed slots as
 * `WindowedCounts`: how many arrived and their sum, so a quality objective reads the window's mean.
 */
export class WindowedScores {
  private readonly samples: number[];
  private readonly sums: number[];
  private readonly epochs: number[];
  private readonly slotMs: number;

  constructor(
    windowMs: number,
    private readonly slots = 6,
  ) {
    this.slotMs = Math.max(1, Math.ceil(windowMs / slots));
    this.samples = new Array<number>(slots).fill(0);
    this.sums = new Array<number>(slots).fill(0);
    this.epochs = new Array<number>(slots).fill(-1);
  }

  /** A score that arrived at `now`. */
  add(score: number, now: number): void {
    const epoch = Math.floor(now / this.slotMs);
    const index = epoch % this.slots;
    if (this.epochs[index] !== epoch) {
      this.epochs[index] = epoch;
      this.samples[index] = 0;
      this.sums[index] = 0;
    }
    this.samples[index]!++;
    this.sums[index]! += score;
  }

  /** Takes out a score added at `at` (a replaced feedback), if its slot is still in the window ending `now`. */
  remove(score: number, at: number, now: number): void {
    const epoch = Math.floor(at / this.slotMs);
    const index = epoch % this.slots;
    // Its slot reused for later scores, or out of the window: the score has left it already.
    if (this.epochs[index] !== epoch || Math.floor(now / this.slotMs) - epoch >= this.slots) return;
    this.samples[index]!--;
    this.sums[index]! -= score;
  }

  /** Scores within the window ending `now`: how many, and their sum. */
  totals(now: number): { readonly samples: number; readonly sum: number } {
    const current = Math.floor(now / this.slotMs);
    let samples = 0;
    let sum = 0;
    for (let i = 0; i < this.slots; i++) {
      if (current - this.epochs[i]! >= this.slots || this.epochs[i]! < 0) continue;
      samples += this.samples[i]!;
      sum += this.sums[i]!;
    }
    return { samples, sum };
  }
}
