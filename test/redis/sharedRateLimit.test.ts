import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTieredClient, defineCatalog } from '../../src/index.js';
import { RedisRateLimitStore } from '../../src/redis/index.js';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { noRedisServer, startRedis, stopAllRedis } from '../support/redisServer.js';

// Two processes' worth of clients on one Redis: the limited deployment's rpm holds for the fleet,
// not per client; what it cannot take, the spare deployment of the same tier answers.
let limited: MockOpenAI;
let spare: MockOpenAI;
const closing: { close(): Promise<void> }[] = [];
beforeEach(async () => {
  [limited, spare] = await Promise.all([startMockOpenAI(), startMockOpenAI()]);
});
afterEach(async () => {
  for (const open of closing.splice(0).reverse()) await open.close();
  await Promise.all([limited.close(), spare.close()]);
  await stopAllRedis();
});

const catalogOn = (limited: MockOpenAI, spare: MockOpenAI) =>
  defineCatalog({
    providers: {
      limited: { apiKey: 'sk-test-limited', baseURL: limited.url },
      spare: { apiKey: 'sk-test-spare', baseURL: spare.url },
    },
    tiers: ['economy'],
    models: [
      {
        id: 'm',
        provider: 'limited',
        tier: 'economy',
        inputCostPerMTok: 0.1,
        outputCostPerMTok: 0.4,
        contextWindow: 8_000,
        limits: { rpm: 5 },
      },
      { id: 'm', provider: 'spare', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 8_000 },
    ],
  });
// A conversation of its own per call: affinity has nothing to keep together.
const ask = (i: number) => ({ model: 'economy' as const, messages: [{ role: 'user' as const, content: `question ${i}` }] });

describe.skipIf(noRedisServer)('rate limits on Redis', () => {
  it("never lets two clients sharing a RedisRateLimitStore exceed a deployment's rpm together", async () => {
    const redis = await startRedis();
    const catalog = catalogOn(limited, spare);
    const clients = [0, 1].map(() => {
      const store = new RedisRateLimitStore({ redis: redis.url });
      const client = createTieredClient({ catalog, loadBalancing: 'ordered', rateLimit: { store } });
      closing.push(store, client);
      return client;
    });

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 2]!.tieredChat(ask(i))));

    expect(limited.requests.length).toBeGreaterThan(0);
    expect(limited.requests.length).toBeLessThanOrEqual(5);
    expect(spare.requests).toHaveLength(20 - limited.requests.length);
    expect(results.filter((r) => r.provider === 'limited')).toHaveLength(limited.requests.length);
  });

  it('counts in the process, with rateLimit:error, when Redis is down: calls never fail for it', async () => {
    const redis = await startRedis();
    const store = new RedisRateLimitStore({ redis: redis.url });
    const client = createTieredClient({ catalog: catalogOn(limited, spare), loadBalancing: 'ordered', rateLimit: { store } });
    closing.push(store, client);
    let errors = 0;
    client.on('rateLimit:error', () => (errors += 1));
    await redis.stop();

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => client.tieredChat(ask(i))));

    expect(results).toHaveLength(10);
    expect(errors).toBeGreaterThan(0);
    expect(limited.requests.length).toBeLessThanOrEqual(5);
    expect(spare.requests).toHaveLength(10 - limited.requests.length);
  });
});
