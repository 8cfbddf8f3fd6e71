import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreGuard, StoreSkippedError } from './StoreGuard.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2030-01-01T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A store operation whose outcome the test sets, counting how often it is called. */
function operation() {
  const op = {
    calls: 0,
    fail: true,
    run: (): Promise<string> => {
      op.calls++;
      return op.fail ? Promise.reject(new Error('store is down')) : Promise.resolve('value');
    },
  };
  return op;
}

const guardOf = () => new StoreGuard({ name: 'cache', timeoutMs: 250 });
const attempt = (guard: StoreGuard, run: () => Promise<string>) =>
  Promise.resolve()
    .then(() => guard.run('get', run))
    .then(
      (value) => value,
      (error: unknown) => error,
    );

describe('StoreGuard', () => {
  it('skips the store after 3 failures in a row, and lets one call try it again 5 s later', async () => {
    const guard = guardOf();
    const store = operation();
    for (let i = 0; i < 3; i++) expect(await attempt(guard, store.run)).toMatchObject({ message: 'store is down' });

    const skipped = await attempt(guard, store.run);

    expect(store.calls).toBe(3);
    expect(skipped).toBeInstanceOf(StoreSkippedError);
    expect((skipped as Error).message).toBe(
      'The cache store is skipped after 3 failures in a row (last: store is down); it is tried again in 5000 ms.',
    );

    vi.setSystemTime(Date.now() + 4_999);
    await attempt(guard, store.run);
    expect(store.calls).toBe(3);

    vi.setSystemTime(Date.now() + 1);
    store.fail = false;
    expect(await attempt(guard, store.run)).toBe('value');
    expect(await attempt(guard, store.run)).toBe('value');
    expect(store.calls).toBe(5);
  });

  it('counts failures in a row only: a success starts the count again', async () => {
    const guard = guardOf();
    const store = operation();
    await attempt(guard, store.run);
    await attempt(guard, store.run);
    store.fail = false;
    await attempt(guard, store.run);
    store.fail = true;
    await attempt(guard, store.run);
    await attempt(guard, store.run);

    await attempt(guard, store.run);

    expect(store.calls).toBe(6);
  });

  it('lets a single call probe at a time, and skips the store 5 s more when the probe fails', async () => {
    const guard = guardOf();
    const store = operation();
    for (let i = 0; i < 3; i++) await attempt(guard, store.run);
    vi.setSystemTime(Date.now() + 5_000);
    let failProbe: (error: Error) => void = () => {};
    const probe = attempt(guard, () => {
      store.calls++;
      return new Promise<string>((_, reject) => (failProbe = reject));
    });
    await Promise.resolve();

    const whileProbing = await attempt(guard, store.run);
    failProbe(new Error('still down'));
    await probe;

    expect(whileProbing).toBeInstanceOf(StoreSkippedError);
    expect((whileProbing as Error).message).toBe(
      'The cache store is skipped after 3 failures in a row (last: store is down); a call is trying it again now.',
    );
    expect(store.calls).toBe(4);
    vi.setSystemTime(Date.now() + 4_999);
    expect(await attempt(guard, store.run)).toMatchObject({ message: expect.stringContaining('(last: still down)') });
    expect(store.calls).toBe(4);
    vi.setSystemTime(Date.now() + 1);
    await attempt(guard, store.run);
    expect(store.calls).toBe(5);
  });

  it('fails an operation that does not answer within timeoutMs, and counts it', async () => {
    const guard = guardOf();
    const hangs = () => new Promise<string>(() => {});

    const first = attempt(guard, hangs);
    await vi.advanceTimersByTimeAsync(249);
    let settled = false;
    void first.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(await first).toMatchObject({ message: "The cache store did not answer 'get' within 250 ms." });
    for (let i = 0; i < 2; i++) {
      const next = attempt(guard, hangs);
      await vi.advanceTimersByTimeAsync(250);
      await next;
    }
    expect(await attempt(guard, hangs)).toBeInstanceOf(StoreSkippedError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hands back a synchronous answer synchronously, and counts a synchronous throw', () => {
    const guard = guardOf();

    expect(guard.run('get', () => 'now')).toBe('now');
    for (let i = 0; i < 3; i++) {
      expect(() =>
        guard.run('get', () => {
          throw new Error('exploded');
        }),
      ).toThrow('exploded');
    }
    expect(() => guard.run('get', () => 'now')).toThrow(StoreSkippedError);
    expect(vi.getTimerCount()).toBe(0);
  });
});
