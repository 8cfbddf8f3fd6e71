import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { WindowedHistogram } from './WindowedHistogram.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

const exact = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
};

describe('WindowedHistogram', () => {
  it('reports p50 to p99.9 within 1% of the exact values', () => {
    const histogram = new WindowedHistogram(60_000);
    const values: number[] = [];
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 16807) % 2147483647;
      const ms = 5 + ((seed % 100_000) / 100_000) ** 3 * 4_000; // a long tail, 5 ms to 4 s
      values.push(ms);
      histogram.record(ms, 1_000);
    }

    const reported = histogram.percentiles(1_000);

    for (const [key, p] of [
      ['p50', 50],
      ['p95', 95],
      ['p99', 99],
      ['p999', 99.9],
    ] as const) {
      expect(Math.abs(reported[key] - exact(values, p)) / exact(values, p)).toBeLessThan(0.01);
    }
  });

  it('forgets what fell out of the window', () => {
    const histogram = new WindowedHistogram(60_000, 6);
    histogram.record(500, 0);
    histogram.record(10, 59_000);

    expect(histogram.percentiles(59_000).p99).toBeGreaterThan(400);
    expect(histogram.percentiles(65_000).p99).toBeLessThan(11); // the 500 ms sample is gone
    expect(histogram.percentiles(200_000)).toEqual({ p50: 0, p95: 0, p99: 0, p999: 0 });
  });

  it('holds the same memory whatever the traffic', () => {
    const histogram = new WindowedHistogram(60_000);
    // Every slot in use before the baseline: what is made on first use is made.
    for (let i = 0; i < 60_000; i += 100) histogram.record(i % 300, i);
    const before = heapAfterGc();
    for (let i = 0; i < 1_000_000; i++) histogram.record(i % 3_000, i % 60_000);
    const grown = heapAfterGc() - before;

    // Keeping the samples would cost megabytes (a number each): the histograms are fixed in size.
    expect(grown).toBeLessThan(2 ** 20);
    // Read after the measure, so that the histogram is still alive when it is taken.
    expect(histogram.percentiles(59_999).p99).toBeGreaterThan(0);
  });
});
