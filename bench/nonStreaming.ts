/** Non-streaming overhead against the raw openai client: latency per call, interleaved, same mock. */
import OpenAI from 'openai';
import { createTieredClient } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';
import { interleave, median, percentile } from './stats.js';

async function measure(call: () => Promise<unknown>): Promise<{ latency: number }> {
  const t0 = performance.now();
  await call();
  return { latency: performance.now() - t0 };
}

/** Median and p99 latency per call, raw and tiered (cache off), in ms. */
export async function benchNonStreaming(url: string, iterations: number) {
  const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0 });
  const tiered = createTieredClient({ catalog: benchCatalog(url) });
  const samples = await interleave(iterations, {
    raw: () => measure(() => raw.chat.completions.create({ model: 'bench-model', messages })),
    tiered: () => measure(() => tiered.chat.completions.create({ model: 'economy', messages })),
  });
  await tiered.close();
  const summary = (s: { latency: number[] }) => ({ medianMs: median(s.latency), p99Ms: percentile(s.latency, 0.99) });
  return { raw: summary(samples.raw), tiered: summary(samples.tiered) };
}
