/**
 * A cache shared by every machine of an app: two clients, standing for two processes, on one
 * Redis. The first machine asks and pays; the second gets the same answer from Redis for nothing,
 * and a burst on both makes one upstream call per question. Providers are the embedded mock; Redis is real:
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/redis-cache.ts
 */
import { randomUUID } from 'node:crypto';
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { RedisCacheStore } from 'tiered-llm/redis';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(
  log: (line: string) => void = console.log,
  redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
): Promise<void> {
  const mock = await startMockOpenAI({ models: { 'gpt-4o': { content: 'Share the cache.', latencyMs: 20 } } });
  const catalog = defineCatalog({
    providers: { openai: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['hot'],
    models: [{ id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 }],
  });
  // A prefix of this run's own, so that answers cached by an earlier run do not answer this one.
  const prefix = `tiered-llm-example:${randomUUID()}:`;
  // Each machine has its own connection; a store you pass in is yours to close.
  const stores = [new RedisCacheStore({ redis: redisUrl, prefix }), new RedisCacheStore({ redis: redisUrl, prefix })];
  const [a, b] = stores.map((store) => createTieredClient({ catalog, cache: { store, ttlMs: 60_000 } }));
  const messages = [{ role: 'user' as const, content: 'Why share a cache between machines?' }];

  const onA = await a!.tieredChat({ model: 'hot', messages });
  const onB = await b!.tieredChat({ model: 'hot', messages });
  log(`machine a: cached=${onA.cached} cost=$${onA.costUsd.toFixed(6)}`);
  log(`machine b: cached=${onB.cached} cost=$${onB.costUsd.toFixed(6)} saved=$${onB.savedUsd.toFixed(6)}`);
  log(`upstream calls: ${mock.requests.length}`);

  await Promise.all([a!.close(), b!.close()]);
  await Promise.all(stores.map((store) => store.close()));
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
