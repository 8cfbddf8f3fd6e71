import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetExceededError, createTieredClient, defineCatalog } from '../../src/index.js';
import { RedisBudgetStore } from '../../src/redis/index.js';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { noRedisServer, startRedis, stopAllRedis } from '../support/redisServer.js';

let mock: MockOpenAI;
beforeEach(async () => {
  // Each answer costs $0.0005; each call reserves about $0.0004.
  mock = await startMockOpenAI({ models: { m: { usage: { promptTokens: 1_000, completionTokens: 1_000 } } } });
});
afterEach(async () => {
  await mock.close();
  await stopAllRedis();
});

describe.skipIf(noRedisServer)('a budget on Redis', () => {
  it('is one budget for every client that shares it: together they stay within the limit', async () => {
    const redis = await startRedis();
    const catalog = defineCatalog({
      providers: { p: { apiKey: 'sk-test-budget', baseURL: mock.url } },
      tiers: ['economy'],
      models: [{ id: 'm', provider: 'p', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 8_000 }],
    });
    const stores = [new RedisBudgetStore({ redis: redis.url }), new RedisBudgetStore({ redis: redis.url })];
    const clients = stores.map((store) => createTieredClient({ catalog, budget: { limitUsd: 0.002, windowMs: 60_000, store } }));

    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        clients[i % 2]!.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 1_000 }),
      ),
    );
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(stores.map((s) => s.close()));

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(4);
    expect(
      outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof BudgetExceededError),
    ).toBe(true);
    expect(mock.requests).toHaveLength(4);
  });
});
