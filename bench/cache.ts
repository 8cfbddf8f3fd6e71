/**
 * The response cache: latency of a hit (in process), the same with a 100 KB prompt (dominated by
 * hashing it), and memory per cached 1 KB answer.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createTieredClient } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';
import { median } from './stats.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function timeEach(iterations: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 1_000; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await call();
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** Median latency of `hits` cache hits of a short prompt, in µs, after a warm-up of 1,000. */
export async function benchCacheHit(url: string, hits: number): Promise<number> {
  const tiered = createTieredClient({ catalog: benchCatalog(url), cache: {} });
  try {
    await tiered.chat.completions.create({ model: 'economy', messages });
    return median(await timeEach(hits, () => tiered.chat.completions.create({ model: 'economy', messages }))) * 1000;
  } finally {
    await tiered.close();
  }
}

/** Median latency of a hit with a 100 KB prompt (µs) and the heap per cached 1 KB answer (bytes). */
export async function benchCache(url: string, iterations: number) {
  const tiered = createTieredClient({ catalog: benchCatalog(url), cache: {} });
  const big = [{ role: 'user' as const, content: 'x'.repeat(100 * 1024) }];
  await tiered.chat.completions.create({ model: 'economy', messages: big });
  const bigHitMs = median(await timeEach(iterations, () => tiered.chat.completions.create({ model: 'economy', messages: big })));
  await tiered.close();

  // Memory: the heap held by 2,000 cached answers of about 1 KB each, per answer.
  const answers = 2_000;
  const filled = createTieredClient({ catalog: benchCatalog(url), cache: { maxEntries: answers * 2 } });
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < answers; i++)
    await filled.chat.completions.create({ model: 'economy', messages: [{ role: 'user', content: `question ${i}` }] });
  gc();
  const bytesPerAnswer = (process.memoryUsage().heapUsed - before) / answers;
  await filled.close();

  return { bigHitUs: bigHitMs * 1000, bytesPerAnswer };
}
