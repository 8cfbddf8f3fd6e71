import { APIUserAbortError } from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AllModelsFailedError } from '../src/index.js';
import type { MockRequest } from '../src/testing/index.js';
import { ask, names, recordEvents, useFleet } from './fleet.js';
import { advance, nextEvent, playBackoff, useFakeClock } from './support/clock.js';

const fleet = useFleet();
afterEach(() => vi.useRealTimers());

/** How many attempts of the client have started so far: an attempt starts as its wait ends, before any I/O. */
const triesOf = (client: ReturnType<typeof fleet.client>): (() => number) => {
  let started = 0;
  client.on('attempt:start', () => started++);
  return () => started;
};

/** How long after the previous one each request reached the mock, on its (fake) clock. */
const gaps = (requests: readonly MockRequest[]): number[] => requests.slice(1).map((r, i) => r.receivedAt - requests[i]!.receivedAt);

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
    useFakeClock();
    const client = fleet.client({ retry: { retries: 3, minTimeoutMs: 5, maxTimeoutMs: 15, factor: 2 } });
    playBackoff(client);
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 }, { status: 500 });

    const { attempts } = await client.tieredChat({ model: 'economy', messages: ask() });

    const delays = attempts.slice(0, 3).map((a) => a.delayMs ?? -1);
    expect(delays[0]).toBeGreaterThanOrEqual(5);
    expect(delays[0]).toBeLessThanOrEqual(10);
    expect(delays[1]).toBeGreaterThanOrEqual(10);
    expect(delays[1]).toBeLessThanOrEqual(15);
    expect(delays[2]).toBe(15);
    expect(gaps(fleet.primary.requests)).toEqual(delays); // each attempt reached the provider after the wait it announced
  });

  it('honours retry-after-ms and reports the wait in attempt:error', async () => {
    useFakeClock();
    const client = fleet.client();
    const events = recordEvents(client);
    const tries = triesOf(client);
    fleet.primary.enqueue('eco-mini', { status: 429, headers: { 'retry-after-ms': '40' } });

    const call = client.tieredChat({ model: 'economy', messages: ask() });
    await nextEvent(client, 'attempt:error');
    await advance(39);
    expect(tries()).toBe(1); // still waiting
    await advance(1);
    const result = await call;

    expect(result.attempts[0]).toMatchObject({ errorCode: 'rate_limited', status: 429, delayMs: 40 });
    const error = events.find((e) => e.name === 'attempt:error');
    expect(error?.payload).toMatchObject({ willRetry: true, delayMs: 40, error: { status: 429, code: 'rate_limited' } });
    expect(gaps(fleet.primary.requests)).toEqual([40]);
  });

  it.each([
    ['seconds', (_now: number) => '2', 2_000],
    ['an HTTP date', (now: number) => new Date(now + 3_000).toUTCString(), 3_000],
  ])('honours retry-after given in %s', async (_kind, header, expected) => {
    useFakeClock();
    const client = fleet.client();
    const tries = triesOf(client);
    fleet.primary.enqueue('eco-mini', { status: 503, headers: { 'retry-after': header(Date.now()) } });

    const call = client.tieredChat({ model: 'economy', messages: ask() });
    const { delayMs } = await nextEvent(client, 'attempt:error');
    await advance(expected - 1);
    expect(tries()).toBe(1); // still waiting
    await advance(1);
    const result = await call;

    expect(delayMs).toBe(expected);
    expect(result.attempts.map((a) => a.outcome)).toEqual(['error', 'ok']);
  });

  it('spreads the backoff between the base wait and twice it (jitter)', async () => {
    useFakeClock();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const client = fleet.client({ retry: { retries: 2, minTimeoutMs: 4, maxTimeoutMs: 100, factor: 2 } });
    playBackoff(client);
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 });

    const { attempts } = await client.tieredChat({ model: 'economy', messages: ask() });
    vi.restoreAllMocks();

    expect(attempts.map((a) => a.delayMs)).toEqual([6, 12, undefined]); // 4 x 1.5, then 8 x 1.5
  });

  it('takes a retry-after of more than a day for garbage', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { minTimeoutMs: 3, maxTimeoutMs: 3 } });
    playBackoff(client);
    fleet.primary.enqueue('eco-mini', { status: 429, headers: { 'retry-after': String(400 * 24 * 3600) } });

    const { attempts } = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}:${a.delayMs ?? ''}`)).toEqual([
      'primary:rate_limited:3',
      'primary:ok:',
    ]);
    expect(client.health()[0]?.coolingDownUntil).toBeUndefined();
  });

  it('retries at once when retry-after is a date already past', async () => {
    useFakeClock();
    const client = fleet.client();
    playBackoff(client);
    fleet.primary.enqueue('eco-mini', { status: 503, headers: { 'retry-after': new Date(Date.now() - 60_000).toUTCString() } });

    const { attempts } = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(attempts[0]?.delayMs).toBe(0);
    expect(gaps(fleet.primary.requests)).toEqual([0]);
  });

  it('uses options.maxRetries for one call', async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 });

    const { attempts } = await client.tieredChat({ model: 'economy', messages: ask() }, { maxRetries: 2 });

    expect(attempts.map((a) => a.outcome)).toEqual(['error', 'error', 'ok']);
  });

  it('ignores a garbage retry-after and uses its own backoff', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { minTimeoutMs: 3, maxTimeoutMs: 3 } });
    playBackoff(client);
    fleet.primary.enqueue('eco-mini', { status: 429, headers: { 'retry-after': 'soon-ish' } });

    const { attempts } = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(attempts[0]?.delayMs).toBe(3);
  });
});

describe('a retry-after longer than maxRetryAfterMs', () => {
  it('moves on at once and leaves the deployment cooling down for every request', async () => {
    useFakeClock();
    // Affinity off: the next calls of this one conversation would go where the first was answered.
    const client = fleet.client({ retry: { maxRetryAfterMs: 1_000 }, affinity: false });
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

describe('a cool-down set by another call', () => {
  it('is honoured before the next retry', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 2, minTimeoutMs: 50, maxTimeoutMs: 50 } });
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 429, headers: { 'retry-after': '60' } });
    const firstFailed = new Promise((resolve) => client.on('attempt:error', resolve));

    const a = client.tieredChat({ model: 'economy', messages: ask() });
    await firstFailed; // a now waits 50 ms before retrying primary
    const b = await client.tieredChat({ model: 'economy', messages: ask() }); // gets the 429: primary cools down
    await advance(50);
    const first = await a;

    expect(b.attempts.map((x) => `${x.provider}:${x.errorCode ?? x.outcome}`)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(first.attempts.map((x) => `${x.provider}:${x.outcome}:${x.errorCode ?? ''}`)).toEqual([
      'primary:error:server_error',
      'primary:skipped:cooling_down',
      'secondary:ok:',
    ]);
    expect(fleet.primary.requests).toHaveLength(2);
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

  it('a context-length error known only by its message moves on too', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', {
      status: 400,
      error: { message: "This model's maximum context length is 16385 tokens.", code: null },
    });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => a.errorCode ?? a.outcome)).toEqual(['context_length_exceeded', 'ok']);
  });
});

describe('time limits', () => {
  it('timeouts.requestMs ends a hanging try, closes its connection, and the call moves on', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 0 }, timeouts: { requestMs: 50 } });
    const tries = triesOf(client);
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    const call = client.tieredChat({ model: 'economy', messages: ask() });
    await fleet.primary.waitForRequests(1);
    await advance(49);
    expect(tries()).toBe(1); // still waiting for primary
    await advance(1);
    const result = await call;

    expect(result.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`)).toEqual(['primary:timeout', 'secondary:ok']);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
  });

  it('timeouts.deadlineMs bounds the whole call and stops the request in flight', async () => {
    useFakeClock();
    const client = fleet.client({ timeouts: { deadlineMs: 60, requestMs: 10_000 } });
    fleet.primary.setReply('eco-mini', { fault: 'hang' });
    let settled = false;

    const call = client
      .tieredChat({ model: 'economy', messages: ask() })
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await fleet.primary.waitForRequests(1);
    await advance(59);
    expect(settled).toBe(false);
    await advance(1);
    const error = (await call) as AllModelsFailedError;

    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect(error.reason).toBe('deadline');
    expect(fleet.secondary.requests).toHaveLength(0);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
  });

  it('timeouts.deadlineMs cuts a backoff wait short', async () => {
    useFakeClock();
    const client = fleet.client({ timeouts: { deadlineMs: 60 }, retry: { minTimeoutMs: 60_000, maxTimeoutMs: 60_000 } });
    fleet.primary.setReply('eco-mini', { status: 500 });

    const call = client.tieredChat({ model: 'economy', messages: ask() }).catch((e: unknown) => e);
    await nextEvent(client, 'attempt:error');
    await advance(60);
    const error = (await call) as AllModelsFailedError;

    expect(error).toMatchObject({ code: 'ALL_MODELS_FAILED', reason: 'deadline' });
    expect(error.attempts.map((a) => a.delayMs)).toEqual([60_000]);
    expect(fleet.primary.requests).toHaveLength(1);
  });

  it('options.timeout bounds each attempt of one call', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    const call = client.tieredChat({ model: 'economy', messages: ask() }, { timeout: 40 });
    await fleet.primary.waitForRequests(1);
    await advance(40);
    const result = await call;

    expect(result.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`)).toEqual(['primary:timeout', 'secondary:ok']);
  });

  it('records the attempt that the deadline cut off as deadline_exceeded', async () => {
    useFakeClock();
    const client = fleet.client({ timeouts: { deadlineMs: 50 } });
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    const call = client.tieredChat({ model: 'economy', messages: ask() }).catch((e: unknown) => e);
    await fleet.primary.waitForRequests(1);
    await advance(50);
    const error = (await call) as AllModelsFailedError;

    expect(error.attempts.map((a) => a.errorCode)).toEqual(['deadline_exceeded']);
  });

  it('options.timeoutMs sets the deadline of one call', async () => {
    useFakeClock();
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    const call = client.tieredChat({ model: 'economy', messages: ask() }, { timeoutMs: 40 }).catch((e: unknown) => e);
    await fleet.primary.waitForRequests(1);
    await advance(40);

    expect(await call).toMatchObject({ code: 'ALL_MODELS_FAILED', reason: 'deadline' });
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
    // Abort once the wait has begun (after the event, on the next turn of the loop).
    client.on('attempt:error', () => void setImmediate(() => controller.abort()));

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
