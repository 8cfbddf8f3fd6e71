/**
 * Two running sums over a sliding window, in fixed slots (the same slots as `WindowedHistogram`):
 * the oldest slot is cleared as time moves on, so memory stays fixed whatever the traffic. What the
 * two sums are is the caller's: calls and errors, or scores and their total.
 */
export class WindowedSums {
  private readonly firsts: number[];
  private readonly seconds: number[];
  private readonly epochs: number[];
  private readonly slotMs: number;

  constructor(
    windowMs: number,
    private readonly slots = 6,
  ) {
    this.slotMs = Math.max(1, Math.ceil(windowMs / slots));
    this.firsts = new Array<number>(slots).fill(0);
    this.seconds = new Array<number>(slots).fill(0);
    this.epochs = new Array<number>(slots).fill(-1);
  }

  /** Adds to both sums at `now`. */
  add(first: number, second: number, now: number): void {
    const epoch = Math.floor(now / this.slotMs);
    const index = epoch % this.slots;
    if (this.epochs[index] !== epoch) {
      this.epochs[index] = epoch;
      this.firsts[index] = 0;
      this.seconds[index] = 0;
    }
    this.firsts[index]! += first;
    this.seconds[index]! += second;
  }

  /** Takes back what was added at `at`, if its slot is still in the window ending `now`. */
  takeBack(first: number, second: number, at: number, now: number): void {
    const epoch = Math.floor(at / this.slotMs);
    const index = epoch % this.slots;
    // Its slot reused for later additions, or out of the window: what was added has left already.
    if (this.epochs[index] !== epoch || Math.floor(now / this.slotMs) - epoch >= this.slots) return;
    this.firsts[index]! -= first;
    this.seconds[index]! -= second;
  }

  /** Both sums within the window ending `now`, as `[first, second]`. */
  totals(now: number): readonly [number, number] {
    const current = Math.floor(now / this.slotMs);
    let first = 0;
    let second = 0;
    for (let i = 0; i < this.slots; i++) {
      if (current - this.epochs[i]! >= this.slots || this.epochs[i]! < 0) continue;
      first += this.firsts[i]!;
      second += this.seconds[i]!;
    }
    return [first, second];
  }
}
