import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { RateLimitGrant, RateLimitStore } from '../../src/index.js';

/**
 * What every {@link RateLimitStore} does, whatever it counts in: call it inside a `describe` with a
 * factory of fresh stores (`MemoryRateLimitStore`, `RedisRateLimitStore`, a user's own). The tests
 * read no clock: all their requests fall within one minute of the store's, so only `retryInMs` and
 * `second` depend on where in the second they run, and those are asserted within bounds.
 */
export function rateLimitStoreContract(makeStore: () => RateLimitStore | Promise<RateLimitStore>): void {
  const made: RateLimitStore[] = [];
  const storeOf = async (): Promise<RateLimitStore> => {
    const store = await makeStore();
    made.push(store);
    return store;
  };
  // A key of its own per test: stores that share a backend never see each other's counts.
  const deployment = (): string => `p/m-${randomUUID()}`;
  const granted = (grant: RateLimitGrant): number => {
    if (!grant.ok) throw new Error(`refused, retry in ${grant.retryInMs} ms`);
    return grant.second;
  };

  afterEach(async () => {
    for (const store of made.splice(0)) await store.close?.();
  });

  it('grants up to rpm requests a minute, then refuses until the oldest leaves the window', async () => {
    const [store, key] = [await storeOf(), deployment()];

    const grants = [];
    for (let i = 0; i < 4; i++) grants.push(await store.acquire(key, 0, { rpm: 3 }));

    expect(grants.map((g) => g.ok)).toEqual([true, true, true, false]);
    const refusal = grants[3] as { ok: false; retryInMs: number };
    expect(refusal.retryInMs).toBeGreaterThan(0);
    expect(refusal.retryInMs).toBeLessThanOrEqual(60_000);
  });

  it('counts the grant in an integer second of the epoch, for settle', async () => {
    const store = await storeOf();

    const second = granted(await store.acquire(deployment(), 10, { rpm: 1 }));

    expect(Number.isInteger(second)).toBe(true);
    expect(Math.abs(second - Date.now() / 1000)).toBeLessThan(5);
  });

  it('grants tokens up to tpm, exactly at the limit included, and counts nothing for a refusal', async () => {
    const [store, key] = [await storeOf(), deployment()];

    expect((await store.acquire(key, 60, { tpm: 100 })).ok).toBe(true);
    expect((await store.acquire(key, 50, { tpm: 100 })).ok).toBe(false);
    expect((await store.acquire(key, 40, { tpm: 100 })).ok).toBe(true); // the refused 50 were not counted
    expect((await store.acquire(key, 1, { tpm: 100 })).ok).toBe(false);
    expect((await store.acquire(key, 0, { tpm: 100 })).ok).toBe(true);
  });

  it('refuses when either limit would be passed', async () => {
    const [store, key] = [await storeOf(), deployment()];
    await store.acquire(key, 90, { rpm: 2, tpm: 100 });

    expect((await store.acquire(key, 20, { rpm: 2, tpm: 100 })).ok).toBe(false); // tokens
    expect((await store.acquire(key, 10, { rpm: 2, tpm: 100 })).ok).toBe(true);
    expect((await store.acquire(key, 0, { rpm: 2, tpm: 100 })).ok).toBe(false); // requests
  });

  it('refuses a request that could never fit with retryInMs Infinity, so that nobody waits for it', async () => {
    const [store, key] = [await storeOf(), deployment()];

    expect(await store.acquire(key, 101, { tpm: 100 })).toEqual({ ok: false, retryInMs: Infinity });
    expect((await store.acquire(key, 100, { tpm: 100 })).ok).toBe(true);
  });

  it('grants every request when no limit is given', async () => {
    const [store, key] = [await storeOf(), deployment()];

    const grants = await Promise.all(Array.from({ length: 20 }, () => store.acquire(key, 1_000_000, {})));

    expect(grants.every((g) => g.ok)).toBe(true);
  });

  it('counts each key on its own', async () => {
    const [store, a, b] = [await storeOf(), deployment(), deployment()];
    await store.acquire(a, 100, { rpm: 1, tpm: 100 });

    expect((await store.acquire(b, 100, { rpm: 1, tpm: 100 })).ok).toBe(true);
    expect((await store.acquire(a, 0, { rpm: 1, tpm: 100 })).ok).toBe(false);
  });

  it('gives back the tokens a request did not use when it is settled', async () => {
    const [store, key] = [await storeOf(), deployment()];
    const second = granted(await store.acquire(key, 80, { tpm: 100 }));
    expect((await store.acquire(key, 30, { tpm: 100 })).ok).toBe(false);

    await store.settle(key, second, -50);

    expect((await store.acquire(key, 30, { tpm: 100 })).ok).toBe(true); // 30 + 30
    expect((await store.acquire(key, 41, { tpm: 100 })).ok).toBe(false);
  });

  it('adds the tokens a request used beyond its estimate when it is settled', async () => {
    const [store, key] = [await storeOf(), deployment()];
    const second = granted(await store.acquire(key, 10, { tpm: 100 }));

    await store.settle(key, second, 80);

    expect((await store.acquire(key, 11, { tpm: 100 })).ok).toBe(false);
    expect((await store.acquire(key, 10, { tpm: 100 })).ok).toBe(true);
  });

  it('never counts fewer than 0 tokens, however much a settle takes back', async () => {
    const [store, key] = [await storeOf(), deployment()];
    const second = granted(await store.acquire(key, 10, { tpm: 100 }));

    await store.settle(key, second, -50);

    expect((await store.acquire(key, 100, { tpm: 100 })).ok).toBe(true);
    expect((await store.acquire(key, 1, { tpm: 100 })).ok).toBe(false);
  });

  it('leaves the counts alone when settling a second that has left the window, or a key never used', async () => {
    const [store, key] = [await storeOf(), deployment()];
    const second = granted(await store.acquire(key, 0, { tpm: 100 }));

    await store.settle(key, second - 61, 1_000);
    await store.settle(deployment(), second, 1_000);

    expect((await store.acquire(key, 100, { tpm: 100 })).ok).toBe(true);
  });

  it('never grants more than rpm of 200 concurrent requests: exactly rpm are granted', async () => {
    const [store, key] = [await storeOf(), deployment()];

    const grants = await Promise.all(Array.from({ length: 200 }, () => store.acquire(key, 10, { rpm: 50, tpm: 1_000 })));

    expect(grants.filter((g) => g.ok)).toHaveLength(50);
  });
}
