import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BudgetExceededError, createTieredClient, defineCatalog } from '../../src/index.js';
import { RedisBudgetStore } from '../../src/redis/index.js';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { noRedisServer, startRedis, stopAllRedis } from '../support/redisServer.js';
import { until } from './until.js';

let mock: MockOpenAI;
beforeEach(async () => {
  // Each answer costs $0.0005; each call reserves about $0.0004.
  mock = await startMockOpenAI({ models: { m: { usage: { promptTokens: 1_000, completionTokens: 1_000 } } } });
});
afterEach(async () => {
  vi.useRealTimers();
  await mock.close();
  await stopAllRedis();
});

const catalogOn = (mock: MockOpenAI) =>
  defineCatalog({
    providers: { p: { apiKey: 'sk-test-budget', baseURL: mock.url } },
    tiers: ['economy'],
    models: [{ id: 'm', provider: 'p', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 8_000 }],
  });
const ask = { model: 'economy' as const, messages: [{ role: 'user' as const, content: 'hi' }], max_completion_tokens: 1_000 };

describe.skipIf(noRedisServer)('a budget on Redis', () => {
  it('is one budget for every client that shares it: together they stay within the limit', async () => {
    const redis = await startRedis();
    const catalog = catalogOn(mock);
    const stores = [new RedisBudgetStore({ redis: redis.url }), new RedisBudgetStore({ redis: redis.url })];
    const clients = stores.map((store) => createTieredClient({ catalog, budget: { limitUsd: 0.002, windowMs: 60_000, store } }));

    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => clients[i % 2]!.tieredChat(ask)));
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(stores.map((s) => s.close()));

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(4);
    expect(
      outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof BudgetExceededError),
    ).toBe(true);
    expect(mock.requests).toHaveLength(4);
  });
});

describe.skipIf(noRedisServer)('a budget on Redis that goes down', () => {
  it('lets calls through uncounted, with budget:error; after 3 failures in a row Redis is left alone for 5 s', async () => {
    // Only Date is faked (the clock of the 5 s): ioredis must reconnect, on its own timers, to a real Redis restarted.
    vi.useFakeTimers({ toFake: ['Date'] });
    const redis = await startRedis();
    const store = new RedisBudgetStore({ redis: redis.url });
    const reserve = vi.spyOn(store, 'reserve');
    const settle = store.settle.bind(store);
    let settled: (done: Promise<void>) => void = () => {};
    const firstSettle = new Promise<Promise<void>>((resolve) => (settled = resolve));
    vi.spyOn(store, 'settle').mockImplementation((...args) => {
      const done = settle(...args);
      settled(done);
      return done;
    });
    const client = createTieredClient({ catalog: catalogOn(mock), budget: { limitUsd: 1, windowMs: 3_600_000, store } });
    const errors: string[] = [];
    client.on('budget:error', (e) => errors.push(`${e.action}: ${e.error.message}`));
    await client.tieredChat(ask);
    await await firstSettle; // settled after the call resolved

    await redis.stop();
    const whileDown = [];
    for (let i = 0; i < 5; i++) whileDown.push(await client.tieredChat(ask));

    expect(whileDown.map((r) => r.model)).toEqual(['m', 'm', 'm', 'm', 'm']);
    expect(reserve).toHaveBeenCalledTimes(1 + 3);
    expect(errors).toHaveLength(5);
    expect(errors.slice(0, 3).every((e) => /^reserve: Redis budget reserve (failed|timed out)/.test(e))).toBe(true);
    expect(errors.slice(3).every((e) => e.startsWith('reserve: The budget store is skipped after 3 failures in a row'))).toBe(true);

    await redis.start();
    // Real time: ioredis reconnects to a real Redis process on its own backoff; polled, not slept.
    await until(
      () =>
        store.spent('global', 3_600_000).then(
          () => true,
          () => false,
        ),
      'the store has reconnected',
    );
    vi.setSystemTime(Date.now() + 5_000);
    await client.tieredChat(ask);
    await client.tieredChat(ask);

    expect(reserve).toHaveBeenCalledTimes(1 + 3 + 2);
    expect(errors).toHaveLength(5);
    await client.close();
    await store.close();
  });
});
