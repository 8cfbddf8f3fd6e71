import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { RedisRateLimitStore, type RedisRateLimitStoreOptions } from '../../src/redis/index.js';
import { advance, useFakeClock } from '../support/clock.js';
import { freePort, noRedisServer, startRedis, stopAllRedis, type RedisServer } from '../support/redisServer.js';
import { startSilentServer } from './silentServer.js';

const root = join(import.meta.dirname, '../..');
const source = pathToFileURL(join(root, 'src/redis/index.ts')).href;
const hash = 'tiered-llm:ratelimit:p/m';

let server: RedisServer;
let raw: Redis;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

const storeOn = (options: Partial<RedisRateLimitStoreOptions> = {}): RedisRateLimitStore => {
  const store = new RedisRateLimitStore({ redis: server.url, ...options });
  cleanups.push(() => store.close());
  return store;
};
/** Redis' clock: its second, and its milliseconds. */
const redisNow = async (): Promise<{ second: number; ms: number }> => {
  const [seconds, micros] = await raw.time();
  return { second: Number(seconds), ms: Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) };
};
/**
 * Runs a scenario that plants buckets at seconds relative to Redis' "now" and must see that same
 * second when it acquires: played again (on a clean Redis) when Redis' second turned meanwhile.
 */
/**
 * Plants buckets (`r:<second>`, `t:<second>`) as the store keeps them: beside their running totals
 * `R` and `T`, and `last`, the second up to which the window has slid (by default, as if the last
 * acquire had been a second before `now`).
 */
const plant = async (buckets: Record<string, number>, now: number, last = now - 61): Promise<void> => {
  const total = (kind: string) => Object.entries(buckets).reduce((sum, [field, n]) => (field.startsWith(kind) ? sum + n : sum), 0);
  await raw.hset(hash, { ...buckets, R: total('r:'), T: total('t:'), last });
};
/** The buckets of the hash (its `r:` and `t:` fields), without the running totals. */
const bucketsOf = async (): Promise<Record<string, string>> =>
  Object.fromEntries(Object.entries(await raw.hgetall(hash)).filter(([field]) => /^[rt]:/.test(field)));
const withinOneSecond = async (scenario: (now: { second: number; ms: number }) => Promise<void>): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    const now = await redisNow();
    try {
      await scenario(now);
      return;
    } catch (error) {
      if (attempt === 5 || (await redisNow()).second === now.second) throw error;
      await raw.flushall();
    }
  }
};

afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(stopAllRedis);

describe.skipIf(noRedisServer)('RedisRateLimitStore', () => {
  beforeAll(async () => {
    server = await startRedis();
    raw = new Redis(server.url);
  });

  afterEach(() => raw.flushall());

  afterAll(() => raw?.quit());

  it("counts a grant in the hash prefix + key, at Redis' second, expiring 61 s later", async () => {
    const store = storeOn({ prefix: 'app:' });
    const before = await redisNow();

    const grant = await store.acquire('p/m', 120, { rpm: 10, tpm: 1_000 });

    expect(grant).toEqual({ ok: true, second: expect.any(Number) });
    const { second } = grant as { second: number };
    expect(second - before.second).toBeGreaterThanOrEqual(0);
    expect(second - before.second).toBeLessThanOrEqual(1);
    expect(await raw.keys('*')).toEqual(['app:p/m']);
    expect(await raw.hgetall('app:p/m')).toEqual({
      [`r:${second}`]: '1',
      [`t:${second}`]: '120',
      R: '1',
      T: '120',
      last: `${second - 60}`,
    });
    expect(await raw.pttl('app:p/m')).toBeGreaterThan(60_000);
  });

  it("uses 'tiered-llm:ratelimit:' as the default prefix", async () => {
    await storeOn().acquire('p/m', 1, { rpm: 1 });

    expect(await raw.keys('*')).toEqual([hash]);
  });

  it('counts the requests of the last 60 seconds, now included, and deletes older buckets', async () => {
    await withinOneSecond(async ({ second }) => {
      await plant({ [`r:${second - 60}`]: 5, [`t:${second - 60}`]: 500, [`r:${second - 59}`]: 1, [`t:${second - 59}`]: 50 }, second);
      const store = storeOn();

      expect((await store.acquire('p/m', 50, { rpm: 2, tpm: 100 })).ok).toBe(true);
      expect((await store.acquire('p/m', 0, { rpm: 2, tpm: 100 })).ok).toBe(false); // second - 59 still counts

      expect(Object.keys(await bucketsOf()).sort()).toEqual([`r:${second - 59}`, `r:${second}`, `t:${second - 59}`, `t:${second}`]);
    });
  });

  it('says to retry when the oldest bucket that must leave for room leaves the window', async () => {
    await withinOneSecond(async (now) => {
      await plant({ [`r:${now.second - 30}`]: 3, [`r:${now.second - 10}`]: 2 }, now.second);

      const grant = await storeOn().acquire('p/m', 0, { rpm: 5 });

      // The bucket of second - 30 leaves at (second + 30) s: from "now" (a little later than now.ms), at most 30 s.
      expect(grant).toEqual({ ok: false, retryInMs: expect.any(Number) });
      const { retryInMs } = grant as { retryInMs: number };
      expect(retryInMs).toBeLessThanOrEqual((now.second + 30) * 1000 - now.ms);
      expect(retryInMs).toBeGreaterThan((now.second + 30) * 1000 - now.ms - 1_000);
    });
  });

  it('waits for as many buckets to leave as the tokens asked for need', async () => {
    await withinOneSecond(async (now) => {
      await plant(
        { [`r:${now.second - 50}`]: 1, [`t:${now.second - 50}`]: 40, [`r:${now.second - 20}`]: 1, [`t:${now.second - 20}`]: 40 },
        now.second,
      );
      const store = storeOn();

      const small = await store.acquire('p/m', 50, { tpm: 100 }); // room once second - 50 has left
      const large = await store.acquire('p/m', 70, { tpm: 100 }); // room once second - 20 has left too

      expect((small as { retryInMs: number }).retryInMs).toBeLessThanOrEqual((now.second + 10) * 1000 - now.ms);
      expect((small as { retryInMs: number }).retryInMs).toBeGreaterThan((now.second + 9) * 1000 - now.ms);
      expect((large as { retryInMs: number }).retryInMs).toBeLessThanOrEqual((now.second + 40) * 1000 - now.ms);
      expect((large as { retryInMs: number }).retryInMs).toBeGreaterThan((now.second + 39) * 1000 - now.ms);
    });
  });

  it('does not settle into a second that has left the window, nor into a hash that has expired', async () => {
    await withinOneSecond(async ({ second }) => {
      await plant({ [`r:${second - 60}`]: 1, [`t:${second - 60}`]: 50 }, second);
      const store = storeOn();

      await store.settle('p/m', second - 60, 10);
      await store.settle('p/other', second, 10);

      expect(await raw.hget(hash, `t:${second - 60}`)).toBe('50');
      expect(await raw.exists('tiered-llm:ratelimit:p/other')).toBe(0);
    });
  });

  it('settles into the bucket of its grant, keeping the expiry', async () => {
    const store = storeOn();
    const { second } = (await store.acquire('p/m', 100, { tpm: 1_000 })) as { second: number };

    await store.settle('p/m', second, -37.5);

    expect(await raw.hget(hash, `t:${second}`)).toBe('62.5');
    expect(await raw.pttl(hash)).toBeGreaterThan(0);
  });

  it('takes out of the running total only what a settle took out of its bucket, which never goes below 0', async () => {
    await withinOneSecond(async ({ second }) => {
      await plant({ [`r:${second - 10}`]: 1, [`t:${second - 10}`]: 100, [`r:${second}`]: 1, [`t:${second}`]: 50 }, second);
      const store = storeOn();

      await store.settle('p/m', second - 10, -130);

      expect(await raw.hmget(hash, `t:${second - 10}`, 'T')).toEqual(['0', '50']);
      expect((await store.acquire('p/m', 51, { tpm: 100 })).ok).toBe(false);
      expect((await store.acquire('p/m', 50, { tpm: 100 })).ok).toBe(true);
    });
  });

  it('reads a hash written without running totals (by an earlier version), and keeps its totals from then on', async () => {
    await withinOneSecond(async ({ second }) => {
      await raw.hset(hash, {
        [`r:${second - 60}`]: 5,
        [`t:${second - 60}`]: 500,
        [`r:${second - 59}`]: 1,
        [`t:${second - 59}`]: 50,
        [`r:${second - 10}`]: 1,
        [`t:${second - 10}`]: 20,
      });
      const store = storeOn();

      expect((await store.acquire('p/m', 30, { rpm: 4, tpm: 100 })).ok).toBe(true); // 2 requests and 70 tokens counted
      expect((await store.acquire('p/m', 0, { rpm: 4, tpm: 100 })).ok).toBe(true);
      expect((await store.acquire('p/m', 0, { rpm: 4, tpm: 100 })).ok).toBe(false);

      expect(await raw.hmget(hash, 'R', 'T', 'last')).toEqual(['4', '100', `${second - 60}`]);
      expect(Object.keys(await bucketsOf())).not.toContain(`r:${second - 60}`);
    });
  });

  it.each([
    ['40 seconds', 100],
    ['90 seconds', 150],
  ])('slides a window last slid %s ago: what left is taken out of the totals and deleted', async (_, behind) => {
    await withinOneSecond(async ({ second }) => {
      const old = { [`r:${second - 90}`]: 3, [`t:${second - 90}`]: 300, [`r:${second - 70}`]: 2, [`t:${second - 70}`]: 200 };
      await plant({ ...old, [`r:${second - 30}`]: 1, [`t:${second - 30}`]: 10 }, second, second - behind);
      const store = storeOn();

      expect((await store.acquire('p/m', 90, { rpm: 2, tpm: 100 })).ok).toBe(true);
      expect((await store.acquire('p/m', 0, { rpm: 2, tpm: 100 })).ok).toBe(false);

      expect(await bucketsOf()).toEqual({
        [`r:${second - 30}`]: '1',
        [`t:${second - 30}`]: '10',
        [`r:${second}`]: '1',
        [`t:${second}`]: '90',
      });
      expect(await raw.hmget(hash, 'R', 'T', 'last')).toEqual(['2', '100', `${second - 60}`]);
    });
  });

  it('never grants more than rpm to two stores on two connections hammering one key together', async () => {
    const stores = [storeOn({ timeoutMs: 5_000 }), storeOn({ timeoutMs: 5_000 })];

    const grants = await Promise.all(Array.from({ length: 200 }, (_, i) => stores[i % 2]!.acquire('p/m', 10, { rpm: 50, tpm: 100_000 })));

    expect(grants.filter((g) => g.ok)).toHaveLength(50);
    const counted = Object.entries(await raw.hgetall(hash)).filter(([field]) => field.startsWith('r:'));
    expect(counted.reduce((sum, [, count]) => sum + Number(count), 0)).toBe(50);
  });

  it('never grants more than rpm to two processes hammering one key together', async () => {
    const script = `
import { RedisRateLimitStore } from ${JSON.stringify(source)};
const store = new RedisRateLimitStore({ redis: ${JSON.stringify(server.url)}, timeoutMs: 5_000 });
const grants = await Promise.all(Array.from({ length: 100 }, () => store.acquire('p/m', 10, { rpm: 50 })));
console.log(grants.filter((g) => g.ok).length);
await store.close();`;

    const granted = await Promise.all([runNode(script), runNode(script)]);

    expect(granted.reduce((sum, count) => sum + Number(count), 0)).toBe(50);
  });

  it('loads its scripts again after Redis has forgotten them', async () => {
    const store = storeOn();
    await store.acquire('p/m', 1, { rpm: 2 });

    await raw.script('FLUSH');

    expect((await store.acquire('p/m', 1, { rpm: 2 })).ok).toBe(true);
    expect((await store.acquire('p/m', 1, { rpm: 2 })).ok).toBe(false);
  });

  it('works with an ioredis instance it is given, and leaves it open on close()', async () => {
    const mine = new Redis(server.url);
    const store = new RedisRateLimitStore({ redis: mine });
    await store.acquire('p/m', 1, { rpm: 2 });

    await store.close();

    expect(mine.status).toBe('ready');
    expect(await mine.exists(hash)).toBe(1);
    await mine.quit();
  });

  it('lets a process that closes its store exit by itself', async () => {
    const output = await runNode(`
import { RedisRateLimitStore } from ${JSON.stringify(source)};
const store = new RedisRateLimitStore({ redis: ${JSON.stringify(server.url)} });
console.log((await store.acquire('p/m', 1, { rpm: 1 })).ok);
await store.close();`);

    expect(output).toBe('true');
  });

  it('refuses calls once closed', async () => {
    const store = storeOn();
    await store.acquire('p/m', 1, { rpm: 2 });

    await store.close();

    await expect(store.acquire('p/m', 1, { rpm: 2 })).rejects.toThrow('Redis rate limit acquire failed: the store is closed');
  });

  it('throws a RangeError for counts that are no counts, without sending anything', async () => {
    const store = storeOn();

    await expect(store.acquire('p/m', -1, { rpm: 1 })).rejects.toThrow(/^Rate limit acquire: tokens must be a finite number >= 0, got -1/);
    await expect(store.acquire('p/m', 1, { rpm: NaN })).rejects.toThrow(/limits\.rpm must be/);
    await expect(store.acquire('p/m', 1, { tpm: Infinity })).rejects.toThrow(/limits\.tpm must be/);
    await expect(store.settle('p/m', 1.5, 1)).rejects.toThrow(RangeError);
    await expect(store.settle('p/m', 1, NaN)).rejects.toThrow(/deltaTokens must be a finite number/);
    expect(await raw.keys('*')).toEqual([]);
  });
});

describe('RedisRateLimitStore options', () => {
  it.each([
    ['no redis', {}, 'redis'],
    ['a redis object without commands', { redis: { get: () => undefined } }, 'redis'],
    ['a prefix that is not a string', { redis: 'redis://localhost:6379', prefix: 7 }, 'prefix'],
    ['a timeoutMs of 0', { redis: 'redis://localhost:6379', timeoutMs: 0 }, 'timeoutMs'],
  ])('refuses %s with a ConfigError naming the field', (_, options, field) => {
    const error = (() => {
      try {
        const store = new RedisRateLimitStore(options as RedisRateLimitStoreOptions);
        cleanups.push(() => store.close());
      } catch (e) {
        return e;
      }
      throw new Error('the constructor accepted the options');
    })();

    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field });
  });
});

describe('RedisRateLimitStore while Redis is down', () => {
  it.skipIf(noRedisServer).each([
    ['acquire', (store: RedisRateLimitStore) => store.acquire('p/m', 1, { rpm: 1 })],
    ['settle', (store: RedisRateLimitStore) => store.settle('p/m', 1, 1)],
  ])('%s rejects, naming the operation, once Redis has stopped', async (operation, call) => {
    const down = await startRedis();
    const store = new RedisRateLimitStore({ redis: down.url });
    cleanups.push(() => store.close());
    await store.acquire('p/m', 1, { rpm: 100 });

    await down.stop();

    // Usually 'not connected (...)'; on a loaded machine the command can meet the dying socket first.
    await expect(call(store)).rejects.toThrow(new RegExp(`^Redis rate limit ${operation} failed: `));
  });

  it('rejects within timeoutMs when Redis accepts connections but never answers', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const store = new RedisRateLimitStore({ redis: silent.url, timeoutMs: 100 });
    cleanups.push(() => store.close());
    useFakeClock();
    let settled = false;

    const acquiring = store
      .acquire('p/m', 1, { rpm: 1 })
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await advance(99);
    expect(settled).toBe(false);
    await advance(1);

    expect(await acquiring).toMatchObject({ message: 'Redis rate limit acquire timed out after 100 ms' });
  });

  it('rejects calls to a Redis that was never there, without showing the URL password', async () => {
    const store = new RedisRateLimitStore({ redis: `redis://:s3cr%40t-pw@127.0.0.1:${await freePort()}` });
    cleanups.push(() => store.close());

    const error = await store.acquire('p/m', 1, { rpm: 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Redis rate limit acquire failed: not connected \(\w+\), last error: connect ECONNREFUSED/);
    expect(`${(error as Error).message}\n${(error as Error).stack ?? ''}`).not.toMatch(/s3cr/);
  });

  it('lets a process exit by itself once it closes a store whose Redis is down', async () => {
    const output = await runNode(`
import { RedisRateLimitStore } from ${JSON.stringify(source)};
const store = new RedisRateLimitStore({ redis: 'redis://127.0.0.1:${await freePort()}' });
console.log(await store.acquire('p/m', 1, { rpm: 1 }).then(() => 'granted', (e) => e.message));
await store.close();`);

    expect(output).toMatch(/^Redis rate limit acquire failed: not connected/);
  });
});

/** Runs an ES module script in a fresh Node (sources through tsx); resolves its output, or rejects if it fails or has not exited within 20 s. */
function runNode(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout.trim());
        else reject(new Error(`${error.killed ? 'the process did not exit by itself' : error.message}\n${stderr}`));
      },
    );
  });
}
