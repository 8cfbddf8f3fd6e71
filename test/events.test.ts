import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask, keys, recordEvents, startFleet, type Fleet } from './fleet.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await startFleet();
});
afterEach(() => fleet.close());

describe('events of a request', () => {
  it('come in the documented order, with their payloads', async () => {
    const client = fleet.client({ retry: { retries: 1, minTimeoutMs: 2, maxTimeoutMs: 2 } });
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { status: 503 });
    fleet.secondary.setReply('eco-mini', { content: 'Hi there.', usage: { promptTokens: 12, completionTokens: 3 } });

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { metadata: { tenant: 'acme' } });

    const requestId = result.requestId;
    expect(events).toEqual([
      { name: 'request:start', payload: { requestId, requested: 'economy', stream: false, metadata: { tenant: 'acme' } } },
      { name: 'attempt:start', payload: { requestId, model: 'eco-mini', provider: 'primary', tier: 'economy', attempt: 1 } },
      {
        name: 'attempt:error',
        payload: {
          requestId,
          model: 'eco-mini',
          provider: 'primary',
          error: { status: 503, code: 'server_error', message: expect.any(String) },
          willRetry: true,
          delayMs: 2,
        },
      },
      { name: 'attempt:start', payload: { requestId, model: 'eco-mini', provider: 'primary', tier: 'economy', attempt: 2 } },
      {
        name: 'attempt:error',
        payload: {
          requestId,
          model: 'eco-mini',
          provider: 'primary',
          error: { status: 503, code: 'server_error', message: expect.any(String) },
          willRetry: false,
        },
      },
      { name: 'fallback', payload: { requestId, from: 'eco-mini', to: 'eco-mini', reason: 'server_error' } },
      { name: 'attempt:start', payload: { requestId, model: 'eco-mini', provider: 'secondary', tier: 'economy', attempt: 3 } },
      {
        name: 'request:end',
        payload: {
          requestId,
          model: 'eco-mini',
          provider: 'secondary',
          tier: 'economy',
          latencyMs: result.latencyMs,
          usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 0 },
          costUsd: (12 * 0.1 + 3 * 0.4) / 1e6,
          cached: false,
          stream: false,
          attempts: result.attempts,
          usageEstimated: false,
        },
      },
    ]);
    expect(result.attempts.map((a) => [a.provider, a.outcome, a.status, a.delayMs])).toEqual([
      ['primary', 'error', 503, 2],
      ['primary', 'error', 503, undefined],
      ['secondary', 'ok', undefined, undefined],
    ]);
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

  it('are not built when nobody listens', async () => {
    const client = fleet.client();
    const spy = vi.spyOn(client.events, 'emit');

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(spy).not.toHaveBeenCalled();
  });

  it('survive a listener that throws: the request still succeeds', async () => {
    const client = fleet.client();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    client.on('request:start', () => {
      throw new Error('dashboard is down');
    });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);

    expect(result.text).not.toBe('');
    expect(warnings.some((w) => w.includes('dashboard is down'))).toBe(true);
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
    const client = fleet.client({ retry: { retries: 1 }, timeouts: { requestMs: 40 } });
    const events = recordEvents(client);
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

    expect(errors).toHaveLength(3);
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
