/**
 * The response cache: a repeated question costs nothing, ten identical questions asked at once make
 * one upstream call, and a tenant never sees another's answers. Runs on the embedded mock provider:
 *   npx tsx examples/cache.ts
 * For a cache shared by many machines, pass `store: new RedisCacheStore({ redis: process.env.REDIS_URL })`
 * from 'tiered-llm/redis'.
 */
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const mock = await startMockOpenAI({ models: { 'gpt-4o': { content: 'Use a cache.', latencyMs: 20 } } });
  const catalog = defineCatalog({
    providers: { openai: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['hot'],
    models: [{ id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 }],
  });
  const client = createTieredClient({ catalog, cache: { ttlMs: 60_000, maxEntries: 1_000 } });
  const messages = [{ role: 'user' as const, content: 'How do I cut my LLM bill?' }];

  const first = await client.tieredChat({ model: 'hot', messages });
  const second = await client.tieredChat({ model: 'hot', messages });
  log(`first:  cached=${first.cached} cost=$${first.costUsd.toFixed(6)}`);
  log(`second: cached=${second.cached} cost=$${second.costUsd.toFixed(6)} saved=$${second.savedUsd.toFixed(6)}`);

  const burst = await Promise.all(
    Array.from({ length: 10 }, () => client.tieredChat({ model: 'hot', messages: [{ role: 'user', content: 'A burst?' }] })),
  );
  log(`burst of ${burst.length} identical calls: ${burst.filter((r) => !r.cached).length} upstream call`);

  const tenantB = await client.tieredChat({ model: 'hot', messages }, { cacheNamespace: 'tenant-b' });
  log(`another tenant: cached=${tenantB.cached}`);
  log(`provider saw ${mock.requests.length} requests for ${2 + burst.length + 1} calls`);

  await client.close();
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
