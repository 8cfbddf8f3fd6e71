/**
 * Streaming overhead against the raw openai client: time to first token and total stream time,
 * interleaved, same mock (in its own process), same prompt, same bytes (both ask for usage).
 */
import OpenAI from 'openai';
import { createTieredClient } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';
import { interleave, median, percentile } from './stats.js';

type Chunks = AsyncIterable<{ choices: { delta: { content?: string | null } }[] }>;

async function measure(start: () => Promise<Chunks>): Promise<{ ttft: number; total: number }> {
  const t0 = performance.now();
  let ttft = Number.NaN;
  for await (const chunk of await start()) {
    if (Number.isNaN(ttft) && chunk.choices[0]?.delta.content) ttft = performance.now() - t0;
  }
  return { ttft, total: performance.now() - t0 };
}

/** Median and p99 time to first token and total stream time, raw and tiered, in ms. */
export async function benchStreaming(url: string, iterations: number) {
  const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0 });
  const tiered = createTieredClient({ catalog: benchCatalog(url) });
  const samples = await interleave(iterations, {
    raw: () =>
      measure(() => raw.chat.completions.create({ model: 'bench-model', messages, stream: true, stream_options: { include_usage: true } })),
    tiered: () => measure(() => tiered.chat.completions.create({ model: 'economy', messages, stream: true })),
  });
  await tiered.close();
  const summary = (s: { ttft: number[]; total: number[] }) => ({
    ttftMs: median(s.ttft),
    ttftP99Ms: percentile(s.ttft, 0.99),
    totalMs: median(s.total),
    totalP99Ms: percentile(s.total, 0.99),
  });
  return { raw: summary(samples.raw), tiered: summary(samples.tiered) };
}
