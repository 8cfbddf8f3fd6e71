import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryBudgetStore } from './MemoryBudgetStore.js';

const hour = 3_600_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2030-01-01T10:15:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryBudgetStore', () => {
  it('grants a reservation within the limit and counts it', () => {
    const store = new MemoryBudgetStore();

    const reservation = store.reserve('team', 0.4, 1, hour);

    expect(reservation).toMatchObject({ ok: true, window: Math.floor(Date.now() / hour), spentUsd: 0.4 });
    expect(store.spent('team', hour)).toBe(0.4);
  });

  it('refuses a reservation that would pass the limit, and adds nothing', () => {
    const store = new MemoryBudgetStore();
    store.reserve('team', 0.7, 1, hour);

    expect(store.reserve('team', 0.31, 1, hour)).toEqual({ ok: false, spentUsd: 0.7 });
    expect(store.spent('team', hour)).toBe(0.7);
    expect(store.reserve('team', 0.3, 1, hour)).toMatchObject({ ok: true, spentUsd: 1 }); // exactly at the limit is within it
  });

  it('replaces a reservation with the real cost on settle, never going below 0', () => {
    const store = new MemoryBudgetStore();
    const first = store.reserve('team', 0.5, 1, hour);
    const second = store.reserve('team', 0.5, 1, hour);
    if (!first.ok || !second.ok) throw new Error('refused');

    store.settle('team', first, 0.5, 0.125, hour);
    expect(store.spent('team', hour)).toBe(0.625);
    store.settle('team', second, 0.5, 0, hour);
    expect(store.spent('team', hour)).toBe(0.125);
    store.settle('team', first, 0.5, 0, hour); // settled twice by mistake
    expect(store.spent('team', hour)).toBe(0);
  });

  it('adds recorded spend, which then counts against reservations', () => {
    const store = new MemoryBudgetStore();

    store.record('team', 1.5, hour);

    expect(store.spent('team', hour)).toBe(1.5);
    expect(store.reserve('team', 0, 1, hour)).toEqual({ ok: false, spentUsd: 1.5 });
  });

  it('starts each window at 0, and ignores a settle into a window that is over', () => {
    const store = new MemoryBudgetStore();
    const reservation = store.reserve('team', 1, 1, hour);
    if (!reservation.ok) throw new Error('refused');
    expect(store.reserve('team', 0.01, 1, hour).ok).toBe(false);

    vi.setSystemTime(new Date('2030-01-01T11:00:00Z'));

    expect(store.spent('team', hour)).toBe(0);
    expect(store.reserve('team', 0.25, 1, hour)).toMatchObject({ ok: true, window: reservation.window + 1, spentUsd: 0.25 });
    store.settle('team', reservation, 1, 0.5, hour);
    expect(store.spent('team', hour)).toBe(0.25);
  });

  it('keeps keys apart', () => {
    const store = new MemoryBudgetStore();
    store.reserve('a', 1, 1, hour);

    expect(store.reserve('b', 1, 1, hour).ok).toBe(true);
    expect(store.spent('c', hour)).toBe(0);
  });

  it('never lets concurrent reservations pass the limit, and sums cents as decimals', async () => {
    const store = new MemoryBudgetStore();

    const reservations = await Promise.all(Array.from({ length: 200 }, async () => store.reserve('team', 0.01, 1, hour)));

    expect(reservations.filter((r) => r.ok)).toHaveLength(100);
    expect(store.spent('team', hour)).toBe(1);
    expect(new Set(reservations.flatMap((r) => (r.ok ? [r.id] : []))).size).toBe(100);
  });

  it.each([
    ['a negative amount', (store: MemoryBudgetStore) => store.reserve('k', -1, 1, hour), /amountUsd must be a finite number of USD >= 0/],
    ['a NaN limit', (store: MemoryBudgetStore) => store.reserve('k', 1, NaN, hour), /limitUsd must be/],
    ['an infinite limit', (store: MemoryBudgetStore) => store.reserve('k', 1, Infinity, hour), /limitUsd must be/],
    ['a window of 0 ms', (store: MemoryBudgetStore) => store.spent('k', 0), /windowMs must be a finite number of milliseconds >= 1/],
    ['a negative actual cost', (store: MemoryBudgetStore) => store.settle('k', { id: '1', window: 0 }, 1, -1, hour), /actualUsd/],
    ['a negative recorded amount', (store: MemoryBudgetStore) => store.record('k', -0.5, hour), /Budget record: amountUsd/],
  ])('throws a RangeError for %s', (_, call, message) => {
    expect(() => call(new MemoryBudgetStore())).toThrow(RangeError);
    expect(() => call(new MemoryBudgetStore())).toThrow(message);
  });
});
