import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheStore } from '../../src/redis/index.js';
import { noRedisServer, startRedis, stopAllRedis, type RedisServer } from '../support/redisServer.js';
import { until } from './until.js';

let server: RedisServer;
let raw: Redis;
const stores: RedisCacheStore[] = [];

const storeOn = (options: Partial<ConstructorParameters<typeof RedisCacheStore>[0]> = {}): RedisCacheStore => {
  const store = new RedisCacheStore({ redis: server.url, ...options });
  stores.push(store);
  return store;
};
// What the client gives a store: a hash, never the prompt.
const hashed = (text: string): string => createHash('sha256').update(text).digest('base64url');

describe.skipIf(noRedisServer)('RedisCacheStore', () => {
  beforeAll(async () => {
    server = await startRedis();
    raw = new Redis(server.url);
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await raw.flushall();
  });

  afterAll(async () => {
    await raw?.quit();
    await stopAllRedis();
  });

  it('stores a value under prefix + key with a PX expiry, and reads it back', async () => {
    const store = storeOn({ prefix: 'app:' });
    const key = hashed('What is the capital of France?');

    await store.set(key, '{"text":"Paris"}', 60_000);

    expect(await store.get(key)).toBe('{"text":"Paris"}');
    expect(await raw.keys('*')).toEqual([`app:${key}`]);
    const pttl = await raw.pttl(`app:${key}`);
    expect(pttl).toBeGreaterThan(30_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it("uses 'tiered-llm:cache:' as the default prefix", async () => {
    const store = storeOn();

    await store.set('k', 'v', 60_000);

    expect(await raw.keys('*')).toEqual(['tiered-llm:cache:k']);
  });

  it('stores without expiry when the ttl is Infinity', async () => {
    const store = storeOn();

    await store.set('k', 'v', Infinity);

    expect(await raw.pttl('tiered-llm:cache:k')).toBe(-1);
    expect(await store.get('k')).toBe('v');
  });

  it('resolves undefined for a key it does not hold', async () => {
    expect(await storeOn().get('absent')).toBeUndefined();
  });

  it('deletes an entry', async () => {
    const store = storeOn();
    await store.set('k', 'v', 60_000);

    await store.delete('k');

    expect(await store.get('k')).toBeUndefined();
    expect(await raw.exists('tiered-llm:cache:k')).toBe(0);
  });

  it('no longer finds an entry once Redis has expired it', async () => {
    const store = storeOn();
    await store.set('k', 'v', 50);

    // Real time: the expiry is the Redis server's, which no fake timer moves.
    await until(async () => (await raw.exists('tiered-llm:cache:k')) === 0, 'Redis expires the key');

    expect(await store.get('k')).toBeUndefined();
  });

  it('rejects a ttl that is not positive, without sending anything', async () => {
    const store = storeOn();

    await expect(store.set('k', 'v', 0)).rejects.toThrow(/ttlMs must be a positive number/);
    expect(await raw.exists('tiered-llm:cache:k')).toBe(0);
  });

  it('answers the first calls, made before its connection is up, once it is', async () => {
    const store = storeOn();

    const values = await Promise.all(Array.from({ length: 50 }, (_, i) => store.get(`k${i}`)));

    expect(values).toEqual(Array.from({ length: 50 }, () => undefined));
  });

  it('works with an ioredis instance it is given, and leaves it open on close()', async () => {
    const mine = new Redis(server.url);
    const store = new RedisCacheStore({ redis: mine });
    await store.set('k', 'v', 60_000);
    expect(await store.get('k')).toBe('v');

    await store.close();

    expect(mine.status).toBe('ready');
    expect(await mine.get('tiered-llm:cache:k')).toBe('v');
    await mine.quit();
  });

  it('closes the connection it made from a URL on close()', async () => {
    const clients = async (): Promise<number> =>
      String(await raw.client('LIST'))
        .trim()
        .split('\n').length;
    const store = storeOn();
    await store.set('k', 'v', 60_000);
    expect(await clients()).toBe(2);

    await store.close();

    // The Redis server learns of the QUIT over its own socket: polled, not slept.
    await until(async () => (await clients()) === 1, 'the store has disconnected');
    await expect(store.get('k')).rejects.toThrow('Redis GET failed: the store is closed');
  });
});
