import { build, type Histogram } from 'hdr-histogram-js';

/** p50 to p99.9 of a distribution, in milliseconds; 0 when nothing was recorded. */
export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
}

// Microseconds from 1 µs to an hour, two significant digits: within 1% of the exact value.
const make = (): Histogram =>
  build({
    bitBucketSize: 32,
    numberOfSignificantValueDigits: 2,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    useWebAssembly: false,
  });

/** What `percentiles()` returns when nothing was recorded within the window: compare by identity. */
export const noPercentiles: Percentiles = Object.freeze({ p50: 0, p95: 0, p99: 0, p999: 0 });

/**
 * Latencies over a sliding window, in bounded memory whatever the traffic: the window is cut into
 * `slots` HDR histograms (hdr-histogram-js), the oldest cleared as time moves on, merged when read.
 */
export class WindowedHistogram {
  private readonly histograms: Histogram[] = [];
  private readonly epochs: number[] = [];
  private readonly slotMs: number;

  constructor(
    windowMs: number,
    private readonly slots = 6,
  ) {
    this.slotMs = Math.max(1, Math.ceil(windowMs / slots));
  }

  record(ms: number, now: number): void {
    const epoch = Math.floor(now / this.slotMs);
    const index = epoch % this.slots;
    let histogram = this.histograms[index];
    if (histogram === undefined) this.histograms[index] = histogram = make();
    else if (this.epochs[index] !== epoch) histogram.reset();
    this.epochs[index] = epoch;
    histogram.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000))));
  }

  /** The percentiles of the samples recorded within the window ending `now`. */
  percentiles(now: number): Percentiles {
    let merged: Histogram | undefined;
    for (const histogram of this.live(now)) (merged ??= make()).add(histogram);
    if (merged === undefined) return noPercentiles;
    const at = (p: number): number => merged.getValueAtPercentile(p) / 1000;
    return { p50: at(50), p95: at(95), p99: at(99), p999: at(99.9) };
  }

  /** How many samples were recorded within the window ending `now` (no merge). */
  count(now: number): number {
    let samples = 0;
    for (const histogram of this.live(now)) samples += histogram.totalCount;
    return samples;
  }

  private *live(now: number): Generator<Histogram> {
    const current = Math.floor(now / this.slotMs);
    for (let i = 0; i < this.slots; i++) {
      const histogram = this.histograms[i];
      const epoch = this.epochs[i];
      if (histogram === undefined || epoch === undefined || current - epoch >= this.slots || histogram.totalCount === 0) continue;
      yield histogram;
    }
  }
}
