/**
 * Streaming overhead against the raw openai client: time to first token, total stream time and CPU
 * per stream, one stream at a time, alternating batches, same mock, same prompt, same bytes.
 */
import type { Chunks, Pair } from './catalog.js';
import { median, percentile, sideBySide, type Side } from './stats.js';

async function timed(start: () => Promise<Chunks>): Promise<{ ttft: number; total: number }> {
  const t0 = performance.now();
  let ttft = Number.NaN;
  for await (const chunk of await start()) {
    if (Number.isNaN(ttft) && chunk.choices[0]?.delta.content) ttft = performance.now() - t0;
  }
  return { ttft, total: performance.now() - t0 };
}

/** One client's figures: times in ms, and this process's CPU per stream in µs (median of the batches). */
export interface StreamFigures {
  readonly ttftMs: number;
  readonly ttftP99Ms: number;
  readonly totalMs: number;
  readonly totalP99Ms: number;
  readonly cpuUs: number;
}

/**
 * `streams` streams read through each client, one at a time, in alternating batches of `batch`.
 * The ratio of times is that of the medians; of CPU, the median of adjacent batches' ratios.
 */
export async function benchStreaming(
  pair: Pair<Chunks>,
  streams: number,
  batch = 16,
): Promise<Record<'raw' | 'tiered' | 'ratio', StreamFigures>> {
  const sides = await sideBySide(pair, streams, batch, timed);
  const summary = ({ samples, cpuUs }: Side<'ttft' | 'total'>): StreamFigures => ({
    ttftMs: median(samples.ttft),
    ttftP99Ms: percentile(samples.ttft, 0.99),
    totalMs: median(samples.total),
    totalP99Ms: percentile(samples.total, 0.99),
    cpuUs,
  });
  const [raw, tiered] = [summary(sides.raw), summary(sides.tiered)];
  return {
    raw,
    tiered,
    ratio: {
      ttftMs: tiered.ttftMs / raw.ttftMs,
      ttftP99Ms: tiered.ttftP99Ms / raw.ttftP99Ms,
      totalMs: tiered.totalMs / raw.totalMs,
      totalP99Ms: tiered.totalP99Ms / raw.totalP99Ms,
      cpuUs: sides.cpuRatio,
    },
  };
}
