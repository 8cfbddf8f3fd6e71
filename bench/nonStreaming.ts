/** Non-streaming overhead against the raw openai client: latency and CPU per call, one call at a time, alternating batches. */
import type { Pair } from './catalog.js';
import { alternate, median, pairedRatio, percentile, sequential } from './stats.js';

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
  const batches = await alternate(Math.ceil(calls / batch), {
    raw: () => sequential(batch, () => timed(pair.raw)),
    tiered: () => sequential(batch, () => timed(pair.tiered)),
  });
  const summary = (runs: typeof batches.raw): CallFigures => {
    const latency = runs.flatMap((run) => run.samples.map((s) => s.latency));
    return { medianMs: median(latency), p99Ms: percentile(latency, 0.99), cpuUs: median(runs.map((run) => run.cpuUs)) };
  };
  const [raw, tiered] = [summary(batches.raw), summary(batches.tiered)];
  const cpu = (runs: typeof batches.raw) => runs.map((run) => run.cpuUs);
  return {
    raw,
    tiered,
    ratio: {
      medianMs: tiered.medianMs / raw.medianMs,
      p99Ms: tiered.p99Ms / raw.p99Ms,
      cpuUs: pairedRatio(cpu(batches.raw), cpu(batches.tiered)),
    },
  };
}
