import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { RedisCacheStore, type RedisCacheStoreOptions } from '../../src/redis/index.js';
import { freePort, noRedisServer, startRedis, stopAllRedis } from '../support/redisServer.js';

const stores: RedisCacheStore[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await stopAllRedis();
});

const construct = (options: unknown): unknown => {
  try {
    stores.push(new RedisCacheStore(options as RedisCacheStoreOptions));
  } catch (error) {
    return error;
  }
  throw new Error('the constructor accepted the options');
};

/** Everything an error shows a user or a log: its message, hint, stack and causes. */
const shown = (error: unknown): string => {
  const parts: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? '', (e as { hint?: string }).hint ?? '');
  return parts.join('\n');
};

describe('RedisCacheStore options', () => {
  it.each([
    ['no options', undefined, 'options'],
    ['no redis', {}, 'redis'],
    ['a redis that is a number', { redis: 6379 }, 'redis'],
    ['a redis object without commands', { redis: { host: 'localhost' } }, 'redis'],
    ['a redis string that is no URL', { redis: 'localhost:6379' }, 'redis'],
    ['a URL of another scheme', { redis: 'http://localhost:6379' }, 'redis'],
    ['a prefix that is not a string', { redis: 'redis://localhost:6379', prefix: 7 }, 'prefix'],
    ['a timeoutMs of 0', { redis: 'redis://localhost:6379', timeoutMs: 0 }, 'timeoutMs'],
    ['a negative timeoutMs', { redis: 'redis://localhost:6379', timeoutMs: -1 }, 'timeoutMs'],
    ['a NaN timeoutMs', { redis: 'redis://localhost:6379', timeoutMs: NaN }, 'timeoutMs'],
    ['an Infinity timeoutMs', { redis: 'redis://localhost:6379', timeoutMs: Infinity }, 'timeoutMs'],
    ['a timeoutMs given as a string', { redis: 'redis://localhost:6379', timeoutMs: '250' }, 'timeoutMs'],
  ])('refuses %s with a ConfigError naming the field', (_, options, field) => {
    const error = construct(options);

    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field });
  });

  it.each([
    ['an unparsable port', 'redis://:s3cr%40t-pw@localhost:notaport'],
    ['another scheme', 'http://:s3cr%40t-pw@localhost:6379'],
    ['no host', 'redis://:s3cr%40t-pw@'],
  ])('never shows the URL password in the ConfigError for %s', (_, url) => {
    const error = construct({ redis: url });

    expect(ConfigError.isInstance(error)).toBe(true);
    expect(shown(error)).not.toMatch(/s3cr/);
  });

  it('never shows the URL password when Redis is unreachable', async () => {
    const store = new RedisCacheStore({ redis: `redis://:s3cr%40t-pw@127.0.0.1:${await freePort()}` });
    stores.push(store);

    const error = await store.get('k').catch((e: unknown) => e);

    expect(shown(error)).toMatch(/ECONNREFUSED/);
    expect(shown(error)).not.toMatch(/s3cr/);
  });

  it.skipIf(noRedisServer)('never shows the URL password when Redis refuses it', async () => {
    const server = await startRedis(['--requirepass', 'the-right-one']);
    const store = new RedisCacheStore({ redis: `redis://:s3cr%40t-pw@127.0.0.1:${server.port}` });
    stores.push(store);

    const error = await store.get('k').catch((e: unknown) => e);

    expect(shown(error)).toMatch(/WRONGPASS/);
    expect(shown(error)).not.toMatch(/s3cr/);
  });

  it.skipIf(noRedisServer)('connects with the password in its URL', async () => {
    const server = await startRedis(['--requirepass', 's3cr@t-pw']);
    const store = new RedisCacheStore({ redis: `redis://:s3cr%40t-pw@127.0.0.1:${server.port}` });
    stores.push(store);

    await store.set('k', 'v', 60_000);

    expect(await store.get('k')).toBe('v');
  });
});
