/**
 * The last `size` latencies of one deployment, for `client.health()`. A fixed ring buffer:
 * recording is O(1) with no allocation; percentiles sort a copy only when asked.
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;

  constructor(size = 256) {
    this.samples = new Float64Array(size);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count++;
  }

  /** Samples held (up to the window's size). */
  get size(): number {
    return this.count;
  }

  /** Forgets every sample. */
  clear(): void {
    this.count = 0;
    this.next = 0;
  }

  /** Nearest-rank percentiles of the window, in ms; 0 when nothing was recorded yet (check `size`). */
  percentiles(): { p50: number; p99: number } {
    if (this.count === 0) return { p50: 0, p99: 0 };
    const sorted = this.samples.slice(0, this.count).sort();
    const rank = (p: number): number => sorted[Math.min(this.count - 1, Math.ceil(p * this.count) - 1)] ?? 0;
    return { p50: rank(0.5), p99: rank(0.99) };
  }

  /** The percentiles as reported to users: `null` without a sample, since 0 would read as "fast". */
  summary(): LatencySummary {
    return this.count === 0 ? { p50: null, p99: null } : this.percentiles();
  }
}

/** p50 and p99 of a latency window in ms, `null` while it holds no sample. */
export interface LatencySummary {
  readonly p50: number | null;
  readonly p99: number | null;
}
