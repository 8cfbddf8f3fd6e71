/**
 * The cost of skipping an open breaker: calls to a tier whose first deployment's breaker is open
 * (it refused connections until it tripped), against calls to the healthy deployment alone;
 * in alternating batches, same mock. The difference is what a call pays for the deployment it passes over.
 */
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';
import { alternate, median, sequential } from './stats.js';

// Nothing listens on port 1: a connection there is refused at once, a transient failure.
const refusing = 'http://127.0.0.1:1/v1';

async function timed(call: () => Promise<unknown>): Promise<{ latency: number }> {
  const t0 = performance.now();
  await call();
  return { latency: performance.now() - t0 };
}

/** Median latency with and without an open breaker to skip, in ms. */
export async function benchOpenBreaker(url: string, iterations: number) {
  const catalog = defineCatalog({
    providers: { down: { apiKey: 'sk-bench', baseURL: refusing }, local: { apiKey: 'sk-bench', baseURL: url } },
    tiers: ['economy'],
    models: [
      { id: 'bench-model', provider: 'down', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 128_000 },
      { id: 'bench-model', provider: 'local', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 128_000 },
    ],
  });
  const skipping = createTieredClient({ catalog, retry: { retries: 0 }, breaker: { volumeThreshold: 1, resetTimeoutMs: 3_600_000 } });
  const direct = createTieredClient({ catalog: benchCatalog(url) });
  while (skipping.health().find((deployment) => deployment.provider === 'down')?.breaker !== 'open')
    await skipping.chat.completions.create({ model: 'economy', messages });

  const batch = 16;
  const contenders = {
    direct: () => sequential(batch, () => timed(() => direct.chat.completions.create({ model: 'economy', messages }))),
    skipping: () => sequential(batch, () => timed(() => skipping.chat.completions.create({ model: 'economy', messages }))),
  };
  await alternate(8, contenders); // warm-up
  const batches = await alternate(Math.ceil(iterations / batch), contenders);
  await Promise.all([skipping.close(), direct.close()]);
  const latency = (runs: typeof batches.direct) => median(runs.flatMap((run) => run.samples.map((s) => s.latency)));
  return { directMs: latency(batches.direct), skippingMs: latency(batches.skipping) };
}
