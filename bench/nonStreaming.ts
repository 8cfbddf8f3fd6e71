/** Non-streaming overhead against the raw openai client: latency and CPU per call, one call at a time, alternating batches. */
import type { Pair } from './catalog.js';
import { median, percentile, sideBySide, type Side } from './stats.js';

async function timed(call: () => Promise<unknown>): Promise<{ latency: number }> {
  const t0 = performance.now();
  await call();
  return { latency: performance.now() - t0 };
}

/** One client's figures: latency per call in ms, and this process's CPU per call in µs (median of the batches). */
export interface CallFigures {
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly cpuUs: number;
}

/**
 * `calls` calls through each client, one at a time, in alternating batches of `batch`. The ratio
 * of latencies is that of the medians; of CPU, the median of adjacent batches' ratios.
 */
export async function benchNonStreaming(
  pair: Pair<unknown>,
  calls: number,
  batch = 16,
): Promise<Record<'raw' | 'tiered' | 'ratio', CallFigures>> {
  const sides = await sideBySide(pair, calls, batch, timed);
  const summary = ({ samples, cpuUs }: Side<'latency'>): CallFigures => ({
    medianMs: median(samples.latency),
    p99Ms: percentile(samples.latency, 0.99),
    cpuUs,
  });
  const [raw, tiered] = [summary(sides.raw), summary(sides.tiered)];
  return { raw, tiered, ratio: { medianMs: tiered.medianMs / raw.medianMs, p99Ms: tiered.p99Ms / raw.p99Ms, cpuUs: sides.cpuRatio } };
}
