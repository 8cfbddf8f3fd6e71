import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { RedisBudgetStore, type RedisBudgetStoreOptions } from '../../src/redis/index.js';
import { freePort, noRedisServer, startRedis, stopAllRedis, type RedisServer } from '../support/redisServer.js';
import { advance, useFakeClock } from '../support/clock.js';
import { startSilentServer } from './silentServer.js';
import { until } from './until.js';

const day = 86_400_000;
const root = join(import.meta.dirname, '../..');
const source = pathToFileURL(join(root, 'src/redis/index.ts')).href;

let server: RedisServer;
let raw: Redis;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

const storeOn = (options: Partial<RedisBudgetStoreOptions> = {}): RedisBudgetStore => {
  const store = new RedisBudgetStore({ redis: server.url, ...options });
  cleanups.push(() => store.close());
  return store;
};
/** The window Redis' clock is in now. */
const windowNow = async (windowMs: number): Promise<number> => {
  const [seconds, micros] = await raw.time();
  return Math.floor((Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)) / windowMs);
};
const reserved = <T extends { ok: boolean }>(reservation: T): T & { ok: true } => {
  if (!reservation.ok) throw new Error('the reservation was refused');
  return reservation as T & { ok: true };
};

afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(stopAllRedis);

describe.skipIf(noRedisServer)('RedisBudgetStore', () => {
  beforeAll(async () => {
    server = await startRedis();
    raw = new Redis(server.url);
  });

  afterEach(() => raw.flushall());

  afterAll(() => raw?.quit());

  it('counts a reservation under prefix + key + window, expiring two windows later', async () => {
    const store = storeOn({ prefix: 'app:' });

    const reservation = reserved(await store.reserve('team', 0.4, 1, day));

    expect(reservation).toMatchObject({ ok: true, window: await windowNow(day), spentUsd: 0.4 });
    expect(reservation.id).toMatch(/^[\da-f-]{36}$/);
    expect(await raw.keys('*')).toEqual([`app:team:${reservation.window}`]);
    expect(await raw.pttl(`app:team:${reservation.window}`)).toBeGreaterThan(2 * day - 60_000);
    expect(await store.spent('team', day)).toBe(0.4);
  });

  it("uses 'tiered-llm:budget:' as the default prefix, and reads 0 for a budget never used", async () => {
    const store = storeOn();

    expect(await store.spent('team', day)).toBe(0);
    const { window } = reserved(await store.reserve('team', 0.1, 1, day));

    expect(await raw.keys('*')).toEqual([`tiered-llm:budget:team:${window}`]);
  });

  it('refuses a reservation that would pass the limit, and adds nothing', async () => {
    const store = storeOn();
    await store.reserve('team', 0.7, 1, day);

    expect(await store.reserve('team', 0.31, 1, day)).toEqual({ ok: false, spentUsd: 0.7 });
    expect(await store.spent('team', day)).toBe(0.7);
    expect(await store.reserve('team', 0.3, 1, day)).toMatchObject({ ok: true, spentUsd: 1 }); // exactly at the limit is within it
  });

  it('replaces a reservation with the real cost on settle, never going below 0, keeping the expiry', async () => {
    const store = storeOn();
    const first = reserved(await store.reserve('team', 0.5, 1, day));
    const second = reserved(await store.reserve('team', 0.5, 1, day));

    await store.settle('team', first, 0.5, 0.125, day);
    expect(await store.spent('team', day)).toBe(0.625);
    await store.settle('team', second, 0.5, 0, day);
    expect(await store.spent('team', day)).toBe(0.125);
    await store.settle('team', first, 0.5, 0, day); // settled twice by mistake
    expect(await store.spent('team', day)).toBe(0);
    expect(await raw.pttl(`tiered-llm:budget:team:${first.window}`)).toBeGreaterThan(0);
  });

  it('adds recorded spend, with an expiry, which then counts against reservations', async () => {
    const store = storeOn();

    await store.record('team', 1.5, day);

    expect(await store.spent('team', day)).toBe(1.5);
    expect(await store.reserve('team', 0, 1, day)).toEqual({ ok: false, spentUsd: 1.5 });
    expect(await raw.pttl(`tiered-llm:budget:team:${await windowNow(day)}`)).toBeGreaterThan(0);
  });

  it('starts a new window at 0', async () => {
    // Real time: the window is read from the Redis server's own clock, which no fake timer moves.
    const store = storeOn();
    const first = reserved(await store.reserve('team', 1, 1, 200));

    await until(async () => (await store.reserve('team', 1, 1, 200)).ok, 'a new window has begun');

    expect(await windowNow(200)).toBeGreaterThan(first.window);
  });

  it('does not resurrect a window that has expired when a reservation in it is settled', async () => {
    const store = storeOn();
    const reservation = reserved(await store.reserve('team', 0.5, 1, 50));
    const name = `tiered-llm:budget:team:${reservation.window}`;
    // Real time: the expiry is the Redis server's, which no fake timer moves.
    await until(async () => (await raw.exists(name)) === 0, 'Redis expires the window');

    await store.settle('team', reservation, 0.5, 1, 50);

    expect(await raw.exists(name)).toBe(0);
  });

  it('never lets 200 concurrent reservations of $0.01 pass a $1 limit: exactly 100 are granted', async () => {
    const store = storeOn();

    const reservations = await Promise.all(Array.from({ length: 200 }, () => store.reserve('team', 0.01, 1, day)));

    expect(reservations.filter((r) => r.ok)).toHaveLength(100);
    expect(await store.spent('team', day)).toBe(1);
  });

  it('shares one budget between two processes, which together never pass the limit', async () => {
    const script = `
import { RedisBudgetStore } from ${JSON.stringify(source)};
const store = new RedisBudgetStore({ redis: ${JSON.stringify(server.url)}, timeoutMs: 5_000 });
const reservations = await Promise.all(Array.from({ length: 150 }, () => store.reserve('shared', 0.01, 1, ${day})));
console.log(reservations.filter((r) => r.ok).length);
await store.close();`;

    const granted = await Promise.all([runNode(script), runNode(script)]);

    expect(granted.reduce((sum, count) => sum + Number(count), 0)).toBe(100);
    expect(await storeOn().spent('shared', day)).toBe(1);
  });

  it('loads its scripts again after Redis has forgotten them', async () => {
    const store = storeOn();
    await store.reserve('team', 0.25, 1, day);

    await raw.script('FLUSH');

    expect(await store.reserve('team', 0.25, 1, day)).toMatchObject({ ok: true, spentUsd: 0.5 });
  });

  it('works with an ioredis instance it is given, and leaves it open on close()', async () => {
    const mine = new Redis(server.url);
    const store = new RedisBudgetStore({ redis: mine });
    await store.reserve('team', 0.25, 1, day);

    await store.close();

    expect(mine.status).toBe('ready');
    expect(await mine.get(`tiered-llm:budget:team:${await windowNow(day)}`)).toBe('0.25');
    await mine.quit();
  });

  it('refuses calls once closed', async () => {
    const store = storeOn();
    await store.spent('team', day);

    await store.close();

    await expect(store.reserve('team', 0.1, 1, day)).rejects.toThrow('Redis budget reserve failed: the store is closed');
  });

  it('throws a RangeError for amounts that are no amounts, without sending anything', async () => {
    const store = storeOn();

    await expect(store.reserve('team', -0.1, 1, day)).rejects.toThrow(/^Budget reserve: amountUsd must be a finite number of USD >= 0/);
    await expect(store.record('team', NaN, day)).rejects.toThrow(RangeError);
    await expect(store.spent('team', 0)).rejects.toThrow(/windowMs must be a finite number of milliseconds >= 1/);
    expect(await raw.keys('*')).toEqual([]);
  });
});

describe('RedisBudgetStore options', () => {
  it.each([
    ['no redis', {}, 'redis'],
    ['a redis object without commands', { redis: { get: () => undefined } }, 'redis'],
    ['a prefix that is not a string', { redis: 'redis://localhost:6379', prefix: 7 }, 'prefix'],
    ['a timeoutMs of 0', { redis: 'redis://localhost:6379', timeoutMs: 0 }, 'timeoutMs'],
  ])('refuses %s with a ConfigError naming the field', (_, options, field) => {
    const error = (() => {
      try {
        const store = new RedisBudgetStore(options as RedisBudgetStoreOptions);
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

describe('RedisBudgetStore while Redis is down', () => {
  it.skipIf(noRedisServer).each([
    ['reserve', (store: RedisBudgetStore) => store.reserve('team', 0.1, 1, day)],
    ['settle', (store: RedisBudgetStore) => store.settle('team', { id: 'x', window: 1 }, 0.1, 0, day)],
    ['record', (store: RedisBudgetStore) => store.record('team', 0.1, day)],
    ['spent', (store: RedisBudgetStore) => store.spent('team', day)],
  ])('%s rejects, naming the operation, once Redis has stopped', async (operation, call) => {
    const down = await startRedis();
    const store = new RedisBudgetStore({ redis: down.url });
    cleanups.push(() => store.close());
    await store.spent('team', day);

    await down.stop();

    // Usually 'not connected (...)'; on a loaded machine the command can meet the dying socket first
    // (e.g. 'read ECONNRESET'): either way the message names the operation.
    await expect(call(store)).rejects.toThrow(new RegExp(`^Redis budget ${operation} failed: `));
  });

  it('rejects within timeoutMs when Redis accepts connections but never answers', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const store = new RedisBudgetStore({ redis: silent.url, timeoutMs: 100 });
    cleanups.push(() => store.close());
    useFakeClock();
    let settled = false;

    const reserving = store
      .reserve('team', 0.1, 1, day)
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await advance(99);
    expect(settled).toBe(false);
    await advance(1);

    expect(await reserving).toMatchObject({ message: 'Redis budget reserve timed out after 100 ms' });
  });

  it('rejects calls to a Redis that was never there, without showing the URL password', async () => {
    const store = new RedisBudgetStore({ redis: `redis://:s3cr%40t-pw@127.0.0.1:${await freePort()}` });
    cleanups.push(() => store.close());

    const error = await store.reserve('team', 0.1, 1, day).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Redis budget reserve failed: not connected \(\w+\), last error: connect ECONNREFUSED/);
    expect(`${(error as Error).message}\n${(error as Error).stack ?? ''}`).not.toMatch(/s3cr/);
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
