import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTieredClient, defineCatalog } from '../../src/index.js';
import { RedisBudgetStore, RedisCacheStore } from '../../src/redis/index.js';
import { startMockOpenAI } from '../../src/testing/index.js';
import { advance, useFakeClock } from '../support/clock.js';
import { freePort, noRedisServer, startRedis, stopAllRedis } from '../support/redisServer.js';
import { startSilentServer, type SilentServer } from './silentServer.js';
import { until } from './until.js';

// While Redis is away every call settles: it rejects (the client turns that into a `cache:error`
// and goes uncached), at once when ioredis knows it is disconnected, or after timeoutMs at the
// latest. A hang would fail these tests on vitest's own timeout.
const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stopAllRedis();
});

const storeOn = (redis: string | Redis, timeoutMs = 250): RedisCacheStore => {
  const store = new RedisCacheStore({ redis, timeoutMs });
  cleanups.push(() => store.close());
  return store;
};

const silentServer = async (): Promise<SilentServer> => {
  const server = await startSilentServer();
  cleanups.push(() => server.close());
  return server;
};

describe('RedisCacheStore while Redis is down', () => {
  it.skipIf(noRedisServer).each([
    ['get', (store: RedisCacheStore) => store.get('k'), /^Redis GET failed: /],
    ['set', (store: RedisCacheStore) => store.set('k', 'v', 60_000), /^Redis SET failed: /],
    ['delete', (store: RedisCacheStore) => store.delete('k'), /^Redis DEL failed: /],
  ])('%s rejects, naming the operation, once Redis has stopped', async (_, call, message) => {
    const server = await startRedis();
    const store = storeOn(server.url);
    await store.set('k', 'v', 60_000);

    await server.stop();

    // Usually 'not connected (...)'; on a loaded machine the command can meet the dying socket first.
    await expect(call(store)).rejects.toThrow(message);
  });

  it('rejects calls to a Redis that was never there', async () => {
    const store = storeOn(`redis://127.0.0.1:${await freePort()}`);

    await expect(store.get('k')).rejects.toThrow(/^Redis GET failed: not connected \(\w+\), last error: connect ECONNREFUSED/);
  });

  it('rejects with a timeout when Redis accepts connections but never answers', async () => {
    const store = storeOn((await silentServer()).url, 100);
    useFakeClock();

    const get = store.get('k').catch((e: unknown) => e);
    await advance(100);
    expect(await get).toMatchObject({ message: 'Redis GET timed out after 100 ms' });
    const set = store.set('k', 'v', 1_000).catch((e: unknown) => e);
    await advance(100);
    expect(await set).toMatchObject({ message: 'Redis SET timed out after 100 ms' });
  });

  it('drops a connection that stays silent and connects afresh', async () => {
    // Real time: the silence is detected by ioredis' socket timeout, a timer of Node's net module that no fake clock moves.
    const server = await silentServer();
    const store = storeOn(server.url, 100);
    await expect(store.get('k')).rejects.toThrow('Redis GET timed out after 100 ms');

    await until(() => server.connections() >= 2, 'the store has reconnected');
  });

  it.skipIf(noRedisServer)('bounds a given ioredis instance that queues commands while offline by timeoutMs too', async () => {
    const server = await startRedis();
    const mine = new Redis(server.url); // ioredis defaults: an offline queue and 20 retries per request
    mine.on('error', () => undefined);
    cleanups.push(() => mine.disconnect());
    const store = storeOn(mine, 100);
    await store.set('k', 'v', 60_000);
    useFakeClock(); // ioredis' reconnection timers too: it stays offline, queueing the command

    await server.stop();

    const get = store.get('k').catch((e: unknown) => e);
    await advance(100);
    expect(await get).toMatchObject({ message: 'Redis GET timed out after 100 ms' });
  });

  it.skipIf(noRedisServer)('works again when Redis comes back, without being recreated', async () => {
    const server = await startRedis();
    const store = storeOn(server.url);
    await store.set('k', 'v', 60_000);
    await server.stop();
    await expect(store.get('k')).rejects.toThrow(/^Redis GET (failed|timed out)/); // while down: refused or timed out, never hanging

    await server.start();

    // Real time: ioredis reconnects to a real Redis process on its own backoff; polled, not slept.
    await until(
      () =>
        store.get('k').then(
          () => true,
          () => false,
        ),
      'the store has reconnected',
    );
    await store.set('k', 'again', 60_000);
    expect(await store.get('k')).toBe('again');
  });

  it.skipIf(noRedisServer)('closes quietly while Redis is down, and refuses calls afterwards', async () => {
    const server = await startRedis();
    const store = storeOn(server.url);
    await store.set('k', 'v', 60_000);
    await server.stop();

    await store.close();

    await expect(store.get('k')).rejects.toThrow('Redis GET failed: the store is closed');
  });
});

describe('a client whose Redis hangs', () => {
  it('waits for each store three times, then skips it for 5 s: calls stop paying the time limits', async () => {
    const mock = await startMockOpenAI();
    cleanups.push(() => mock.close());
    const { url } = await silentServer();
    const cache = storeOn(url, 100);
    const budget = new RedisBudgetStore({ redis: url, timeoutMs: 100 });
    cleanups.push(() => budget.close());
    useFakeClock();
    // Redis never answers: each command asked of it waits out its 100 ms, played at once on the fake clock.
    const silent =
      <A extends unknown[], R>(ask: (...args: A) => R) =>
      (...args: A): R => (void advance(100), ask(...args));
    const silenced = [silent(cache.get.bind(cache)), silent(cache.set.bind(cache)), silent(budget.reserve.bind(budget))] as const;
    const asked = [
      vi.spyOn(cache, 'get').mockImplementation(silenced[0]),
      vi.spyOn(cache, 'set').mockImplementation(silenced[1]),
      vi.spyOn(budget, 'reserve').mockImplementation(silenced[2]),
    ];
    const client = createTieredClient({
      catalog: defineCatalog({
        providers: { p: { apiKey: 'sk-test-outage', baseURL: mock.url } },
        tiers: ['economy'],
        models: [{ id: 'm', provider: 'p', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 8_000 }],
      }),
      cache: { store: cache },
      budget: { limitUsd: 1, windowMs: 60_000, store: budget },
    });
    cleanups.push(() => client.close());
    const errors: string[] = [];
    client.on('cache:error', (e) => errors.push(`cache ${e.action}: ${e.error.message}`));
    client.on('budget:error', (e) => errors.push(`budget ${e.action}: ${e.error.message}`));
    const tieredChat = (i: number) => client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: `question ${i}` }] });

    for (let i = 0; i < 3; i++) await tieredChat(i);
    const timedOut = errors.filter((e) => / timed out after 100 ms$/.test(e));
    const [get, set, reserve] = asked.map((spy) => spy.mock.calls.length);
    for (let i = 3; i < 6; i++) await tieredChat(i);

    // Call 1: get, reserve, set time out; call 2: get (its third), reserve; call 3: reserve (its third).
    expect(timedOut).toHaveLength(6);
    expect(get! + set!).toBe(3);
    expect(reserve).toBe(3);
    expect(asked.map((spy) => spy.mock.calls.length)).toEqual([get, set, reserve]); // calls 4 to 6 asked Redis nothing
    expect(errors.slice(-9)).toEqual(
      ['cache get', 'budget reserve', 'cache set'].flatMap(() => [
        expect.stringMatching(/^cache get: The cache store is skipped after 3 failures in a row/),
        expect.stringMatching(/^budget reserve: The budget store is skipped after 3 failures in a row/),
        expect.stringMatching(/^cache set: The cache store is skipped after 3 failures in a row/),
      ]),
    );
  });
});
