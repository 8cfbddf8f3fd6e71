import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask, names, recordEvents, useFleet, type Fleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

const fleet = useFleet();
afterEach(() => vi.useRealTimers());

const breaker = { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 30_000 };
// Affinity off: these tests send one conversation again and again, and are about each call meeting
// the breakers in catalog order (affinity would keep the conversation where it last went).
const ecoPrimary = (_fleet: Fleet, client: ReturnType<Fleet['client']>) =>
  client.health().find((h) => h.provider === 'primary' && h.model === 'eco-mini');

describe('circuit breakers, one per deployment', () => {
  it('open after enough transient failures and emit breaker:open', async () => {
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { status: 500 });

    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(ecoPrimary(fleet, client)?.breaker).toBe('open');
    expect(events.filter((e) => e.name === 'breaker:open').map((e) => e.payload)).toEqual([{ model: 'eco-mini', provider: 'primary' }]);
  });

  it('once open, turn calls away from their deployment without a network call', async () => {
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });
    const before = fleet.primary.requests.length;

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(fleet.primary.requests).toHaveLength(before);
    expect(result.attempts.map((a) => `${a.provider}:${a.outcome}:${a.errorCode ?? ''}`)).toEqual([
      'primary:skipped:breaker_open',
      'secondary:ok:',
    ]);
  });

  it('stop retrying a deployment as soon as its breaker opens', async () => {
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 5 } });
    fleet.primary.setReply('eco-mini', { status: 500 });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(fleet.primary.requests).toHaveLength(2);
    expect(result.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`)).toEqual([
      'primary:server_error',
      'primary:server_error',
      'secondary:ok',
    ]);
    expect(result.attempts[1]?.delayMs).toBeUndefined();
  });

  it('let one probe through after resetTimeoutMs, and close when it succeeds', async () => {
    useFakeClock();
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });
    expect(ecoPrimary(fleet, client)?.breaker).toBe('open');

    await advance(29_999);
    expect(ecoPrimary(fleet, client)?.breaker).toBe('open');
    await advance(1); // idle: no request in flight while the clock moves
    expect(ecoPrimary(fleet, client)?.breaker).toBe('halfOpen');
    const probe = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(probe.provider).toBe('primary');
    expect(ecoPrimary(fleet, client)?.breaker).toBe('closed');
    expect(names(events).filter((n) => n.startsWith('breaker:'))).toEqual(['breaker:open', 'breaker:half-open', 'breaker:close']);
  });

  it('reopen when the half-open probe fails', async () => {
    useFakeClock();
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });

    await advance(30_000);
    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`)).toEqual(['primary:server_error', 'secondary:ok']);
    expect(ecoPrimary(fleet, client)?.breaker).toBe('open');
  });

  it("close when the half-open probe gets the caller's own 400: the deployment answered", async () => {
    useFakeClock();
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 }, { status: 400 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });

    await advance(30_000);
    await client.tieredChat({ model: 'economy', messages: ask() }).catch(() => undefined);

    expect(ecoPrimary(fleet, client)?.breaker).toBe('closed');
  });

  it('reopen when the half-open probe is abandoned by its caller: it proved nothing', async () => {
    useFakeClock();
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 }, { fault: 'hang' });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await advance(30_000);
    const controller = new AbortController();

    const probe = client.tieredChat({ model: 'economy', messages: ask() }, { signal: controller.signal });
    await fleet.primary.waitForRequests(3);
    controller.abort();
    await probe.catch(() => undefined);

    expect(ecoPrimary(fleet, client)?.breaker).toBe('open');
  });

  it('let only one probe through while half-open: concurrent calls skip the deployment', async () => {
    useFakeClock();
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await advance(30_000);

    const results = await Promise.all(Array.from({ length: 5 }, () => client.tieredChat({ model: 'economy', messages: ask() })));

    expect(results.filter((r) => r.provider === 'primary')).toHaveLength(1);
    expect(results.filter((r) => r.attempts[0]?.errorCode === 'breaker_open')).toHaveLength(4);
    expect(fleet.primary.requests).toHaveLength(3);
  });

  it("do not count the caller's own 4xx errors", async () => {
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 400 });

    for (let i = 0; i < 4; i++) await client.tieredChat({ model: 'economy', messages: ask() }).catch(() => undefined);

    expect(ecoPrimary(fleet, client)?.breaker).toBe('closed');
    expect(fleet.primary.requests).toHaveLength(4);
  });

  it.each([
    ['non-streaming', false],
    ['streaming', true],
  ] as const)("do not count a caller's abort (%s): the deployment did nothing wrong", async (_, stream) => {
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    // Two failures would open it (volumeThreshold: 2).
    for (let i = 0; i < 2; i++) {
      const caller = new AbortController();
      const call = client.chat.completions.create({ model: 'economy', messages: ask(), stream }, { signal: caller.signal });
      await fleet.primary.waitForRequests(i + 1);
      caller.abort();
      await expect(call).rejects.toThrow(/abort/i);
    }

    expect(ecoPrimary(fleet, client)?.breaker).toBe('closed');
    expect(events.filter((e) => e.name === 'attempt:error').map((e) => (e.payload as { error: { code: string } }).error.code)).toEqual([
      'aborted',
      'aborted',
    ]);
  });

  it('are separate for each deployment of the same model', async () => {
    const client = fleet.client({ breaker, affinity: false, retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });

    const states = client.health().map((h) => `${h.provider}/${h.model}:${h.breaker}`);

    expect(states).toEqual(['primary/eco-mini:open', 'secondary/eco-mini:closed', 'primary/warm-std:closed', 'secondary/hot-max:closed']);
  });
});

describe('client.health()', () => {
  it('lists every deployment with its breaker, cool-down, drain state and latency', async () => {
    useFakeClock();
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { latencyMs: 25 });
    const call = client.tieredChat({ model: 'economy', messages: ask() });
    await fleet.primary.waitForRequests(1);
    await advance(25);
    await call;

    const [first, ...rest] = client.health();

    expect(first).toMatchObject({ provider: 'primary', model: 'eco-mini', tier: 'economy', breaker: 'closed', drained: false });
    expect(first?.latencyMs.p50).toBeCloseTo(25, 0);
    expect(first?.coolingDownUntil).toBeUndefined();
    expect(rest.map((h) => h.latencyMs)).toEqual([
      { p50: null, p99: null },
      { p50: null, p99: null },
      { p50: null, p99: null },
    ]);
  });
});
