import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineCatalog, createTieredClient } from '../src/index.js';
import { ask, keys, recordEvents, useFleet } from './fleet.js';
import { playBackoff, timeOutHangingTries, useFakeClock } from './support/clock.js';

const fleet = useFleet();
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Catches the process warnings a listener's error becomes, instead of printing them: a passing run shows no warning text. */
const catchWarnings = () => vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);

describe('events of a request', () => {
  it('come in the documented order, with their payloads', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 1, minTimeoutMs: 2, maxTimeoutMs: 2 } });
    const events = recordEvents(client);
    playBackoff(client);
    fleet.primary.setReply('eco-mini', { status: 503 });
    fleet.secondary.setReply('eco-mini', { content: 'Hi there.', usage: { promptTokens: 12, completionTokens: 3 } });

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { metadata: { tenant: 'acme' } });

    const requestId = result.requestId;
    expect(events).toEqual([
      {
        name: 'request:start',
        payload: { requestId, operation: 'chat', requested: 'economy', stream: false, metadata: { tenant: 'acme' } },
      },
      {
        name: 'attempt:start',
        payload: { requestId, operation: 'chat', model: 'eco-mini', provider: 'primary', tier: 'economy', attempt: 1 },
      },
      {
        name: 'attempt:error',
        payload: {
          requestId,
          operation: 'chat',
          model: 'eco-mini',
          provider: 'primary',
          error: { status: 503, code: 'server_error', message: expect.any(String) },
          willRetry: true,
          delayMs: 2,
        },
      },
      {
        name: 'attempt:start',
        payload: { requestId, operation: 'chat', model: 'eco-mini', provider: 'primary', tier: 'economy', attempt: 2 },
      },
      {
        name: 'attempt:error',
        payload: {
          requestId,
          operation: 'chat',
          model: 'eco-mini',
          provider: 'primary',
          error: { status: 503, code: 'server_error', message: expect.any(String) },
          willRetry: false,
        },
      },
      {
        name: 'fallback',
        payload: {
          requestId,
          operation: 'chat',
          from: 'eco-mini',
          fromProvider: 'primary',
          to: 'eco-mini',
          toProvider: 'secondary',
          reason: 'server_error',
        },
      },
      {
        name: 'attempt:start',
        payload: { requestId, operation: 'chat', model: 'eco-mini', provider: 'secondary', tier: 'economy', attempt: 3 },
      },
      {
        name: 'request:end',
        payload: {
          requestId,
          operation: 'chat',
          model: 'eco-mini',
          provider: 'secondary',
          tier: 'economy',
          latencyMs: result.latencyMs,
          usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 0 },
          costUsd: 0.0000024,
          costBreakdown: { answerUsd: 0.0000024, routingUsd: 0, embeddingUsd: 0 },
          cached: false,
          savedUsd: 0,
          stream: false,
          attempts: result.attempts,
          usageEstimated: false,
          finishReasons: ['stop'],
        },
      },
    ]);
    expect(result.attempts.map((a) => [a.provider, a.outcome, a.status, a.delayMs])).toEqual([
      ['primary', 'error', 503, 2],
      ['primary', 'error', 503, undefined],
      ['secondary', 'ok', undefined, undefined],
    ]);
  });

  it("carry the call's operation, 'chat' for chat completions, on every event of a call: cached, routed, failed and given feedback", async () => {
    const client = fleet.client({ cache: {}, fallback: 'none', retry: { retries: 0 } });
    const events = recordEvents(client);
    const asked = { model: 'auto', messages: ask('Hi!'), temperature: 0 } as const;

    const answered = await client.tieredChat(asked);
    await client.tieredChat(asked);
    client.feedback(answered.requestId, { thumbs: 'up' });
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask('Fail.'), temperature: 0 }).catch(() => undefined);

    const ofCalls = events.flatMap((e) => ('requestId' in e.payload ? [{ name: e.name, operation: e.payload.operation }] : []));
    expect(new Set(ofCalls.map((e) => e.name))).toEqual(
      new Set([
        'request:start',
        'cache:miss',
        'route',
        'attempt:start',
        'request:end',
        'cache:hit',
        'feedback',
        'attempt:error',
        'fallback',
        'request:error',
      ]),
    );
    expect(ofCalls.filter((e) => e.operation !== 'chat')).toEqual([]);
  });

  it('end a failed request with request:error carrying the thrown error and the audit trail', async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 0 } });
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { status: 500 });

    const error = await client.tieredChat({ model: 'economy', messages: ask() }).catch((e: unknown) => e);

    const last = events.at(-1);
    expect(last?.name).toBe('request:error');
    expect(last?.payload).toMatchObject({ error, costUsd: 0, attempts: [{ provider: 'primary' }, { provider: 'secondary' }] });
  });

  it('are not delivered when nobody listens, on success and failure paths alike', async () => {
    const client = fleet.client({ retry: { retries: 1 } });
    // Whatever way the client hands an event to client.events, it goes through one of these.
    const delivered = [vi.spyOn(client.events, 'emit'), vi.spyOn(client.events, 'listeners')];
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { status: 400 });

    await client.tieredChat({ model: 'warm', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() }).catch(() => undefined);

    expect(fleet.secondary.requests).toHaveLength(1); // the failure path ran: retry, fallback, error
    expect(delivered.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
  });

  it('reach every listener even when one throws, which is reported once, as a process warning', async () => {
    const client = fleet.client();
    const heard: string[] = [];
    const emitWarning = catchWarnings();
    client.on('request:end', () => {
      throw new Error('first listener is broken');
    });
    client.on('request:end', (e) => heard.push(e.requestId));

    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });
    const warnings = emitWarning.mock.calls.map(([warning, options]) => ({ warning, options }));

    expect(heard).toHaveLength(2);
    expect(warnings).toEqual([
      {
        warning: expect.stringMatching(/'request:end' threw: first listener is broken/),
        options: expect.objectContaining({ code: 'TIERED_LLM_LISTENER_ERROR' }),
      },
    ]);
  });

  it('reach their listeners in the order they were added, each with the context it was added with', async () => {
    const client = fleet.client();
    const seen: string[] = [];
    function named(this: { name: string }): void {
      seen.push(this.name);
    }
    client.events.on('request:start', named, { name: 'metrics' });
    client.on('request:start', () => seen.push('logger'));
    client.events.on('request:start', named, { name: 'dashboard' });

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(seen).toEqual(['metrics', 'logger', 'dashboard']);
  });

  it('honour once() listeners and their context, as eventemitter3 does', async () => {
    const client = fleet.client();
    const seen: unknown[] = [];
    const context = { name: 'dashboard' };
    client.events.once(
      'request:start',
      function (this: typeof context) {
        seen.push(this.name);
      },
      context,
    );

    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(seen).toEqual(['dashboard']);
    expect(client.events.listenerCount('request:start')).toBe(0);
  });

  it('call a once() listener that throws only once too', async () => {
    const client = fleet.client();
    const emitWarning = catchWarnings();
    let calls = 0;
    client.events.once('request:end', () => {
      calls++;
      throw new Error('one-shot listener is broken');
    });

    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(calls).toBe(1);
    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(client.events.listenerCount('request:end')).toBe(0);
  });

  it('reach a listener added during an emit from the next event on, not the one being emitted', async () => {
    const client = fleet.client();
    const heard: string[] = [];
    client.events.once('request:end', () => {
      heard.push('first');
      client.on('request:end', () => heard.push('added during the first'));
    });

    await client.tieredChat({ model: 'economy', messages: ask() });
    expect(heard).toEqual(['first']);
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(heard).toEqual(['first', 'added during the first']);
  });

  it('survive a listener that throws: the request still succeeds', async () => {
    const client = fleet.client();
    const emitWarning = catchWarnings();
    client.on('request:start', () => {
      throw new Error('dashboard is down');
    });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });
    const warnings = emitWarning.mock.calls.map(([warning]) => warning);

    expect(result.text).not.toBe('');
    expect(warnings).toEqual([expect.stringMatching(/'request:start' threw: dashboard is down/)]);
  });

  it('hold no prompt or answer text unless telemetry.captureContent is on', async () => {
    const quiet = fleet.client();
    const loud = fleet.client({ telemetry: { captureContent: true } });
    const quietEvents = recordEvents(quiet);
    const loudEvents = recordEvents(loud);
    fleet.primary.setReply('eco-mini', { content: 'The secret answer.' });

    await quiet.tieredChat({ model: 'economy', messages: ask('my private question') });
    await loud.tieredChat({ model: 'economy', messages: ask('my private question') });

    const quietText = JSON.stringify(quietEvents);
    expect(quietText).not.toContain('my private question');
    expect(quietText).not.toContain('The secret answer.');
    expect(loudEvents.find((e) => e.name === 'request:start')?.payload).toMatchObject({ messages: ask('my private question') });
    expect(loudEvents.find((e) => e.name === 'request:end')?.payload).toMatchObject({ text: 'The secret answer.' });
  });

  it('unsubscribe with the function client.on() returns', async () => {
    const client = fleet.client();
    const seen: string[] = [];
    const off = client.on('request:end', (e) => seen.push(e.requestId));

    await client.tieredChat({ model: 'economy', messages: ask() });
    off();
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(seen).toHaveLength(1);
    expect(client.events.listenerCount('request:end')).toBe(0);
  });
});

describe('API keys', () => {
  it('never appear in any event or error, whatever fails', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 1 }, timeouts: { requestMs: 40 } });
    const events = recordEvents(client);
    playBackoff(client);
    timeOutHangingTries(client, { mock: fleet.primary, provider: 'primary', model: 'warm-std', limitMs: 40 });
    const errors: unknown[] = [];
    // A provider that echoes the key it was sent, as some do in their 401 messages.
    fleet.primary.setReply('eco-mini', { status: 401, error: { message: `Incorrect API key provided: ${keys.primary}.` } });
    fleet.secondary.setReply('eco-mini', { fault: 'reset' });
    fleet.primary.setReply('warm-std', { fault: 'hang' });
    fleet.secondary.setReply('hot-max', { status: 429, headers: { 'retry-after-ms': '1' } });

    errors.push(await client.tieredChat({ model: 'economy', messages: ask() }).catch((e: unknown) => e));
    errors.push(await client.tieredChat({ model: 'nope' as 'hot', messages: ask() }).catch((e: unknown) => e));
    fleet.secondary.setReply('hot-max', { status: 400, error: { message: `bad request from ${keys.secondary}` } });
    errors.push(await client.tieredChat({ model: 'hot', messages: ask() }).catch((e: unknown) => e));

    fleet.secondary.setReply('hot-max', {
      status: 401,
      error: { message: 'bad key', param: keys.secondary, code: `key ${keys.secondary}` },
    });
    errors.push(await client.tieredChat({ model: 'hot', messages: ask() }).catch((e: unknown) => e));

    expect(errors).toHaveLength(4);
    const everything = [
      JSON.stringify(events),
      inspect(events, { depth: 10 }),
      ...errors.map((e) => inspect(e, { depth: 10, showHidden: true })),
    ].join('\n');
    expect(everything).toContain('[redacted]'); // the echoed key was there, and was scrubbed
    expect(everything).not.toContain(keys.primary);
    expect(everything).not.toContain(keys.secondary);
  });
});

describe('secrets in provider headers', () => {
  it('are scrubbed like API keys', async () => {
    const gatewayKey = 'gw-live-7f3a9c1e5b2d';
    const catalog = defineCatalog({
      providers: { gw: { apiKey: keys.primary, baseURL: fleet.primary.url, defaultHeaders: { 'x-gateway-key': gatewayKey } } },
      tiers: ['only'],
      models: [{ id: 'gw-model', provider: 'gw', tier: 'only', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8_000 }],
    });
    const client = createTieredClient({ catalog, retry: { retries: 0 } });
    fleet.primary.setReply('gw-model', { status: 403, error: { message: `gateway key ${gatewayKey} is not allowed` } });

    const error = await client.tieredChat({ model: 'only', messages: ask() }).catch((e: unknown) => e);
    await client.close();

    expect(inspect(error, { depth: 10 })).not.toContain(gatewayKey);
  });
});

describe('a listener of several events that throws', () => {
  it('is reported under the event it threw in', async () => {
    const emitWarning = catchWarnings();
    const client = fleet.client();
    const listener = (payload: object) => {
      if ('latencyMs' in payload) throw new Error('boom at the end');
    };
    client.on('request:start', listener);
    client.on('request:end', listener);

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(emitWarning.mock.calls.map(([warning]) => String(warning))).toEqual(["A listener of 'request:end' threw: boom at the end"]);
  });
});
