import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BudgetExceededError, MemoryBudgetStore, type BudgetOptions, type BudgetStore } from '../src/index.js';
import { ask, recordEvents, startFleet, type Fleet, type Recorded } from './fleet.js';
import { advance, nextEvent, useFakeClock } from './support/clock.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await startFleet();
  // Every economy answer costs exactly $0.0005: 1,000 prompt tokens at $0.1/M and 1,000 completion tokens at $0.4/M.
  for (const mock of fleet.mocks) mock.setReply('eco-mini', { usage: { promptTokens: 1_000, completionTokens: 1_000 } });
});
afterEach(async () => {
  vi.useRealTimers();
  await fleet.close();
});

const budgeted = (budget: BudgetOptions) => fleet.client({ fallback: 'none', budget });
// Reserves about $0.0004: a short prompt and 1,000 output tokens at economy prices.
const call = (client: ReturnType<typeof budgeted>, namespace?: string) =>
  client.tieredChat(
    { model: 'economy', messages: ask(), max_completion_tokens: 1_000 },
    namespace === undefined ? {} : { cacheNamespace: namespace },
  );

describe('a spend budget', () => {
  it("with 'reject', refuses a call whose reservation would pass the limit, before any network call", async () => {
    const client = budgeted({ limitUsd: 0.001, windowMs: 60_000, onExceeded: 'reject' });
    await call(client);
    await call(client);

    const error = await call(client).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'global', limitUsd: 0.001 });
    expect((error as BudgetExceededError).spentUsd).toBeCloseTo(0.001, 9);
    expect(fleet.primary.requests).toHaveLength(2);
  });

  it('never lets concurrent calls pass the limit by more than their reservations', async () => {
    const client = budgeted({ limitUsd: 0.002, windowMs: 60_000 });

    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => call(client)));

    const admitted = outcomes.filter((o) => o.status === 'fulfilled');
    expect(admitted).toHaveLength(4); // 4 reservations of ~$0.0004 fit in $0.002; a fifth would not
    expect(
      outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof BudgetExceededError),
    ).toBe(true);
    expect(fleet.primary.requests.length + fleet.secondary.requests.length).toBe(4);
  });

  it("with 'downgrade', sends calls over the limit to the cheapest tier instead", async () => {
    const client = fleet.client({ budget: { limitUsd: 0.00001, windowMs: 60_000, onExceeded: 'downgrade' } });

    const result = await client.tieredChat({ model: 'hot', messages: ask(), max_completion_tokens: 1_000 });

    expect(result.tier).toBe('economy');
    expect(fleet.secondary.requestsFor('hot-max')).toHaveLength(0);
  });

  it("with 'downgrade', never falls back up from the cheapest tier", async () => {
    const client = fleet.client({ budget: { limitUsd: 0.00001, windowMs: 60_000, onExceeded: 'downgrade' } });
    fleet.primary.setReply('eco-mini', { status: 503 });
    fleet.secondary.setReply('eco-mini', { status: 503 });

    await expect(
      client.tieredChat({ model: 'hot', messages: ask(), max_completion_tokens: 1_000 }, { maxRetries: 0 }),
    ).rejects.toMatchObject({
      code: 'ALL_MODELS_FAILED',
    });
    expect(fleet.primary.requestsFor('warm-std')).toHaveLength(0);
    expect(fleet.secondary.requestsFor('hot-max')).toHaveLength(0);
  });

  it('starts afresh in the next window', async () => {
    useFakeClock(new Date('2026-11-29T12:00:00Z'));
    const client = budgeted({ limitUsd: 0.0006, windowMs: 60_000 });
    await call(client);
    await expect(call(client)).rejects.toBeInstanceOf(BudgetExceededError);

    await advance(60_000);

    await expect(call(client)).resolves.toMatchObject({ tier: 'economy' });
  });

  it('counts a call that ran into the next window in the window it ended in', async () => {
    useFakeClock(new Date('2026-11-29T12:00:59.990Z'));
    const client = budgeted({ limitUsd: 0.0006, windowMs: 60_000 });
    fleet.primary.setReply('eco-mini', { usage: { promptTokens: 1_000, completionTokens: 1_000 }, latencyMs: 510 });
    const started = client.tieredChat({ model: 'economy', messages: ask(), max_completion_tokens: 1_000 });
    await fleet.primary.waitForRequests(1); // reserved in the old window, now in flight
    await advance(510); // the answer comes at 12:01:00.500, in the next window
    await started;

    await expect(call(client)).rejects.toBeInstanceOf(BudgetExceededError); // $0.0005 already spent in this window
  });

  it("with per: 'namespace', keeps one budget per namespace", async () => {
    const client = budgeted({ limitUsd: 0.0006, windowMs: 60_000, per: 'namespace' });
    await call(client, 'tenant-a');

    await expect(call(client, 'tenant-a')).rejects.toMatchObject({ budget: 'namespace:tenant-a' });
    await expect(call(client, 'tenant-b')).resolves.toMatchObject({ tier: 'economy' });
  });

  it("with per: 'namespace', counts calls that name none under the cache's default namespace", async () => {
    const client = fleet.client({
      fallback: 'none',
      cache: { namespace: 'app' },
      budget: { limitUsd: 0.0006, windowMs: 60_000, per: 'namespace' },
    });
    await call(client, 'x'); // not cached: another prompt below
    await client.tieredChat({ model: 'economy', messages: ask('first'), max_completion_tokens: 1_000 });

    await expect(client.tieredChat({ model: 'economy', messages: ask('second'), max_completion_tokens: 1_000 })).rejects.toMatchObject({
      budget: 'namespace:app',
    });
  });

  it('does not hold cached answers against it: they cost nothing', async () => {
    const client = fleet.client({ fallback: 'none', cache: {}, budget: { limitUsd: 0.0006, windowMs: 60_000 } });
    await call(client);

    const again = await call(client);

    expect(again.cached).toBe(true);
  });

  it('rejects a budget without a limit with a ConfigError', () => {
    expect(() => fleet.client({ budget: { windowMs: 1_000 } as BudgetOptions })).toThrow(
      expect.objectContaining({ field: 'budget.limitUsd' }),
    );
  });
});

describe('a failing budget store', () => {
  /** A store whose every operation fails as told; `reserves` counts the reservations it was asked for. */
  const failing = (behaviour: 'throw' | 'reject' | 'hang') => {
    const act = (): never | Promise<never> => {
      if (behaviour === 'throw') throw new Error('store exploded');
      return behaviour === 'reject' ? Promise.reject(new Error('store is down')) : new Promise<never>(() => {});
    };
    const counts = { reserves: 0 };
    const store: BudgetStore = { reserve: () => (counts.reserves++, act()), settle: act, record: act, spent: act };
    return { store, counts };
  };
  const budgetErrors = (events: Recorded[]) => events.flatMap((e) => (e.name === 'budget:error' ? [e.payload] : []));
  const requestIds = (events: Recorded[]) => events.flatMap((e) => (e.name === 'request:start' ? [e.payload.requestId] : []));

  it.each([
    ['throws', 'throw', 'store exploded'],
    ['rejects', 'reject', 'store is down'],
    ['hangs', 'hang', "The budget store did not answer 'reserve' within 250 ms."],
  ] as const)('that %s lets the call through, uncounted, with budget:error', async (_, behaviour, message) => {
    useFakeClock();
    const client = budgeted({ limitUsd: 0.000001, windowMs: 60_000, store: failing(behaviour).store });
    const events = recordEvents(client);

    const answer = call(client);
    await advance(250); // the store's time limit, for the one that hangs
    const result = await answer;

    expect(result.tier).toBe('economy'); // a working store would have refused it: $0.000001 is too little
    expect(budgetErrors(events)).toEqual([
      { requestId: requestIds(events)[0], operation: 'chat', budget: 'global', action: 'reserve', error: { message } },
    ]);
    expect(events.findIndex((e) => e.name === 'budget:error')).toBeLessThan(events.findIndex((e) => e.name === 'attempt:start'));
  });

  it("reports a settle that fails after the call, naming the call and the budget's namespace", async () => {
    const memory = new MemoryBudgetStore();
    const store: BudgetStore = {
      reserve: (...args) => memory.reserve(...args),
      settle: () => Promise.reject(new Error('read-only replica')),
      record: (...args) => memory.record(...args),
      spent: (...args) => memory.spent(...args),
    };
    const client = budgeted({ limitUsd: 1, windowMs: 60_000, per: 'namespace', store });
    const events = recordEvents(client);
    const reported = nextEvent(client, 'budget:error'); // the settle fails after the call has resolved

    await call(client, 'tenant-a');
    await reported;

    expect(budgetErrors(events)).toEqual([
      {
        requestId: requestIds(events)[0],
        operation: 'chat',
        budget: 'namespace:tenant-a',
        action: 'settle',
        error: { message: 'read-only replica' },
      },
    ]);
  });

  it('is skipped after 3 failures in a row: calls stop asking it for 5 s, then one call attempts it again', async () => {
    useFakeClock();
    const { store, counts } = failing('reject');
    const client = budgeted({ limitUsd: 1, windowMs: 60_000, store });
    const messages: string[] = [];
    client.on('budget:error', (e) => messages.push(e.error.message));

    for (let i = 0; i < 5; i++) await call(client);

    expect(counts.reserves).toBe(3);
    // Every call that went uncounted says so, the skipped ones too.
    expect(messages).toEqual([
      'store is down',
      'store is down',
      'store is down',
      'The budget store is skipped after 3 failures in a row (last: store is down); it is tried again in 5000 ms.',
      'The budget store is skipped after 3 failures in a row (last: store is down); it is tried again in 5000 ms.',
    ]);

    await advance(4_999);
    await call(client);
    expect(counts.reserves).toBe(3); // still skipped
    await advance(1);
    await call(client);
    await call(client);

    expect(counts.reserves).toBe(4); // one attempt, which failed: skipped again
  });
});

describe('a call whose deadline passes while its budget store is slow', () => {
  it('fails at its deadline without sending a request', async () => {
    useFakeClock();
    const memory = new MemoryBudgetStore();
    const slow: BudgetStore = {
      reserve: (...args) => new Promise((resolve) => setTimeout(() => resolve(memory.reserve(...args)), 300)),
      settle: (...args) => memory.settle(...args),
      record: (...args) => memory.record(...args),
      spent: (...args) => memory.spent(...args),
    };
    const client = budgeted({ limitUsd: 1, windowMs: 60_000, store: slow, timeoutMs: 1_000 });

    const result = client.tieredChat({ model: 'economy', messages: ask() }, { timeoutMs: 200 }).catch((error: unknown) => error);
    await advance(300);

    expect(await result).toMatchObject({ code: 'ALL_MODELS_FAILED', reason: 'deadline' });
    expect(fleet.primary.requests).toHaveLength(0);
  });
});
