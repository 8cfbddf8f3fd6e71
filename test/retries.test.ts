import { APIUserAbortError } from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AllModelsFailedError } from '../src/index.js';
import { ask, names, recordEvents, startFleet, type Fleet } from './fleet.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await startFleet();
});
afterEach(async () => {
  vi.useRealTimers();
  await fleet.close();
});

describe('retries on the same deployment', () => {
  it.each([
    [408, 'request_timeout'],
    [409, 'conflict'],
    [429, 'rate_limited'],
    [500, 'server_error'],
    [503, 'server_error'],
  ] as const)('retries a %i (%s) and then succeeds there', async (status, code) => {
    const client = fleet.client({ retry: { retries: 2 } });
    fleet.primary.enqueue('eco-mini', { status }, { status });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.provider).toBe('primary');
    expect(result.attempts.map((a) => [a.outcome, a.errorCode])).toEqual([
      ['error', code],
      ['error', code],
      ['ok', undefined],
    ]);
    expect(fleet.secondary.requests).toHaveLength(0);
  });

  it('retries a connection reset', async () => {
    const client = fleet.client();
    fleet.primary.enqueue('eco-mini', { fault: 'reset' });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => a.errorCode ?? a.outcome)).toEqual(['connection_error', 'ok']);
  });

  it('waits with exponential backoff and jitter, within minTimeoutMs and maxTimeoutMs', async () => {
    const client = fleet.client({ retry: { retries: 3, minTimeoutMs: 5, maxTimeoutMs: 15, factor: 2 } });
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 }, { status: 500 });

    const { attempts } = await client.tieredChat({ model: 'economy', messages: ask() });

    const delays = attempts.slice(0, 3).map((a) => a.delayMs ?? -1);
    expect(delays[0]).toBeGreaterThanOrEqual(5);
    expect(delays[0]).toBeLessThanOrEqual(10);
    expect(delays[1]).toBeGreaterThanOrEqual(10);
    expect(delays[1]).toBeLessThanOrEqual(15);
    expect(delays[2]).toBe(15);
  });

  it('honours retry-after-ms and reports the wait in attempt:error', async () => {
    const client = fleet.client();
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', { status: 429, headers: { 'retry-after-ms': '40' } });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts[0]).toMatchObject({ errorCode: 'rate_limited', status: 429, delayMs: 40 });
    const error = events.find((e) => e.name === 'attempt:error');
    expect(error?.payload).toMatchObject({ willRetry: true, delayMs: 40, error: { status: 429, code: 'rate_limited' } });
    const [first, second] = fleet.primary.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(39);
  });

  it.each([
    ['seconds', (_now: number) => '2', 2_000],
    ['an HTTP date', (now: number) => new Date(now + 3_000).toUTCString(), 3_000],
  ])('honours retry-after given in %s', async (_kind, header, expected) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-29T12:00:00.000Z'));
    const client = fleet.client();
    fleet.primary.enqueue('eco-mini', { status: 503, headers: { 'retry-after': header(Date.now()) } });
    const waiting = new Promise<number | undefined>((resolve) => client.on('attempt:error', (e) => resolve(e.delayMs)));

    const call = client.tieredChat({ model: 'economy', messages: ask() });
    const delayMs = await waiting;
    await vi.advanceTimersByTimeAsync(expected - 1);
    expect(fleet.primary.requests).toHaveLength(1); // still waiting
    await vi.advanceTimersByTimeAsync(1);
    const result = await call;

    expect(delayMs).toBe(expected);
    expect(result.attempts.map((a) => a.outcome)).toEqual(['error', 'ok']);
  });

  it('ignores a garbage retry-after and uses its own backoff', async () => {
    const client = fleet.client({ retry: { minTimeoutMs: 3, maxTimeoutMs: 3 } });
    fleet.primary.enqueue('eco-mini', { status: 429, headers: { 'retry-after': 'soon-ish' } });

    const { attempts } = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(attempts[0]?.delayMs).toBe(3);
  });
});

describe('a retry-after longer than maxRetryAfterMs', () => {
  it('moves on at once and leaves the deployment cooling down for every request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-29T12:00:00.000Z'));
    const client = fleet.client({ retry: { maxRetryAfterMs: 1_000 } });
    fleet.primary.enqueue('eco-mini', { status: 429, headers: { 'retry-after': '30' } });

    const first = await client.tieredChat({ model: 'economy', messages: ask() });
    const second = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(first.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(first.attempts[0]?.delayMs).toBeUndefined();
    expect(second.attempts.map((a) => `${a.provider}:${a.outcome}:${a.errorCode ?? ''}`)).toEqual([
      'primary:skipped:cooling_down',
      'secondary:ok:',
    ]);
    expect(fleet.primary.requests).toHaveLength(1);
    expect(client.health().find((h) => h.provider === 'primary' && h.model === 'eco-mini')?.coolingDownUntil).toBe(Date.now() + 30_000);

    vi.setSystemTime(Date.now() + 30_001);
    const later = await client.tieredChat({ model: 'economy', messages: ask() });
    expect(later.provider).toBe('primary');
  });
});

describe('moving on without retrying', () => {
  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
  ] as const)('a %i moves on to the next deployment at once', async (status, code) => {
    const client = fleet.client({ retry: { retries: 3 } });
    fleet.primary.setReply('eco-mini', { status });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`)).toEqual([`primary:${code}`, 'secondary:ok']);
    expect(fleet.primary.requests).toHaveLength(1);
  });

  it('a context-length error moves on to the next deployment', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', {
      status: 400,
      error: {
        message: "This model's maximum context length is 16000 tokens.",
        code: 'context_length_exceeded',
        type: 'invalid_request_error',
      },
    });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => a.errorCode ?? a.outcome)).toEqual(['context_length_exceeded', 'ok']);
  });
});

describe('time limits', () => {
  it('timeouts.requestMs ends a hanging try, closes its connection, and the call moves on', async () => {
    const client = fleet.client({ retry: { retries: 0 }, timeouts: { requestMs: 50 } });
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`)).toEqual(['primary:timeout', 'secondary:ok']);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
  });

  it('timeouts.deadlineMs bounds the whole call and stops the request in flight', async () => {
    const client = fleet.client({ timeouts: { deadlineMs: 60, requestMs: 10_000 } });
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    const error = (await client.tieredChat({ model: 'economy', messages: ask() }).catch((e: unknown) => e)) as AllModelsFailedError;

    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect(error.reason).toBe('deadline');
    expect(fleet.secondary.requests).toHaveLength(0);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
  });

  it('options.timeoutMs sets the deadline of one call', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    const error = await client.tieredChat({ model: 'economy', messages: ask() }, { timeoutMs: 40 }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'ALL_MODELS_FAILED', reason: 'deadline' });
  });
});

describe('the caller aborting', () => {
  it('rejects with APIUserAbortError and closes the upstream request', async () => {
    const client = fleet.client();
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { fault: 'hang' });
    const controller = new AbortController();

    const call = client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal });
    await fleet.primary.waitForRequests(1);
    controller.abort();

    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
    expect(fleet.secondary.requests).toHaveLength(0);
    expect(names(events).at(-1)).toBe('request:error');
  });

  it('stops a backoff wait at once', async () => {
    const client = fleet.client({ retry: { minTimeoutMs: 60_000, maxTimeoutMs: 60_000 } });
    fleet.primary.setReply('eco-mini', { status: 500 });
    const controller = new AbortController();
    client.on('attempt:error', () => controller.abort());

    const call = client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal });

    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(fleet.primary.requests).toHaveLength(1);
  });

  it('with an already aborted signal makes no request', async () => {
    const client = fleet.client();

    await expect(
      client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(fleet.primary.requests).toHaveLength(0);
  });
});
