/** Calls and errors over a sliding window, in the same fixed slots as `WindowedHistogram`. */
export class WindowedCounts {
  private readonly requests: number[];
  private readonly errors: number[];
  private readonly epochs: number[];
  private readonly slotMs: number;

  constructor(
    windowMs: number,
    private readonly slots = 6,
  ) {
    this.slotMs = Math.max(1, Math.ceil(windowMs / slots));
    this.requests = new Array<number>(slots).fill(0);
    this.errors = new Array<number>(slots).fill(0);
    this.epochs = new Array<number>(slots).fill(-1);
  }

  record(ok: boolean, now: number): void {
    const epoch = Math.floor(now / this.slotMs);
    const index = epoch % this.slots;
    if (this.epochs[index] !== epoch) {
      this.epochs[index] = epoch;
      this.requests[index] = 0;
      this.errors[index] = 0;
    }
    this.requests[index]!++;
    if (!ok) this.errors[index]!++;
  }

  /** Calls and errors within the window ending `now`. */
  totals(now: number): { readonly requests: number; readonly errors: number } {
    const current = Math.floor(now / this.slotMs);
    let requests = 0;
    let errors = 0;
    for (let i = 0; i < this.slots; i++) {
      if (current - this.epochs[i]! >= this.slots || this.epochs[i]! < 0) continue;
      requests += this.requests[i]!;
      errors += this.errors[i]!;
    }
    return { requests, errors };
  }
}
