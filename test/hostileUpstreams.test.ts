import { inspect } from 'node:util';
import OpenAI, { BadRequestError } from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AllModelsFailedError,
  createTieredClient,
  defineCatalog,
  StreamInterruptedError,
  type TieredClientOptions,
  type TieredEventName,
} from '../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';
import { ask, recordEvents, type Recorded } from './fleet.js';
import { useFakeClock } from './support/clock.js';
import { chunk, sse, startRawProvider, type RawProvider, type RawReply } from './support/rawProvider.js';

const rawKey = 'sk-raw-provider-7c1e9b2d4f6a';
const gatewayKey = 'gw-secret-3b8d1f7e2a9c5d40';
const healthyKey = 'sk-healthy-9e2a7c5b1d3f';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

/** A hostile provider in the economy tier, a healthy mock in the warm tier above it. */
async function setup(replies: readonly RawReply[], options: Omit<TieredClientOptions, 'catalog'> = {}, provider: object = {}) {
  const raw = await startRawProvider(replies);
  const healthy = await startMockOpenAI({ apiKey: healthyKey });
  opened.push(raw, healthy);
  const catalog = defineCatalog({
    providers: {
      raw: { apiKey: rawKey, baseURL: raw.url, defaultHeaders: { 'x-gateway-key': gatewayKey }, ...provider },
      healthy: { apiKey: healthyKey, baseURL: healthy.url },
    },
    tiers: ['economy', 'warm'],
    models: [
      { id: 'eco', provider: 'raw', tier: 'economy', inputCostPerMTok: 0.2, outputCostPerMTok: 0.8, contextWindow: 16_000 },
      { id: 'warm-std', provider: 'healthy', tier: 'warm', inputCostPerMTok: 1, outputCostPerMTok: 4, contextWindow: 16_000 },
    ],
  });
  const client = createTieredClient({ catalog, retry: { retries: 1, minTimeoutMs: 0, maxTimeoutMs: 0 }, ...options });
  opened.push(client);
  return { raw, healthy, client, events: recordEvents(client) };
}

/** Every text form of a value a user or a log pipeline could see. */
function everyForm(value: unknown): string {
  const seen = new WeakSet<object>();
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[cycle]';
      seen.add(v);
    }
    return typeof v === 'bigint' ? String(v) : v;
  });
  const message = value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : '';
  return `${inspect(value, { depth: 20 })}\n${json}\n${message}`;
}

function expectNoSecret(value: unknown): void {
  const text = everyForm(value);
  expect(text).not.toContain(rawKey);
  expect(text).not.toContain(gatewayKey);
}

const payloads = (events: Recorded[], name: TieredEventName) => events.filter((e) => e.name === name).map((e) => e.payload);

describe('a 200 that is not a chat completion', () => {
  it.each([
    ['an error object with no status', JSON.stringify({ error: { message: 'upstream overloaded', type: 'server_error' } })],
    ['an array', '[]'],
    ['an empty object', '{}'],
    ['choices that are not a list', JSON.stringify({ id: 'x', choices: { 0: 'a' } })],
    ['a choice with no message', JSON.stringify({ id: 'x', choices: [{ index: 0 }] })],
  ])('is a failed try when it is %s: retried, then fallen back from', async (_name, body) => {
    const { client, healthy } = await setup([{ body }]);

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.provider).toBe('healthy');
    expect(result.attempts.map((a) => [a.model, a.outcome, a.errorCode])).toEqual([
      ['eco', 'error', 'invalid_response'],
      ['eco', 'error', 'invalid_response'],
      ['warm-std', 'ok', undefined],
    ]);
    expect(healthy.requests).toHaveLength(1);
  });

  it('is not malformed when its choices are an empty list', async () => {
    const { client } = await setup([
      { body: JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'eco', choices: [] }) },
    ]);

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => a.outcome)).toEqual(['ok']);
    expect(result.text).toBe('');
  });

  it('acts as the status its error body names', async () => {
    const { client } = await setup([{ body: JSON.stringify({ error: { code: 429, message: 'slow down' } }) }]);

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => [a.outcome, a.errorCode, a.status])).toEqual([
      ['error', 'rate_limited', 429],
      ['error', 'rate_limited', 429],
      ['ok', undefined, undefined],
    ]);
  });

  it("throws openai's own error when its error body names a 400", async () => {
    const { client, healthy } = await setup([{ body: JSON.stringify({ error: { status: '400', message: 'bad tool schema' } }) }]);

    const call = client.chat.completions.create({ model: 'economy', messages: ask() });

    await expect(call).rejects.toBeInstanceOf(BadRequestError);
    await expect(call).rejects.toMatchObject({ status: 400, message: '400 bad tool schema' });
    expect(healthy.requests).toHaveLength(0);
  });

  it('counts against the breaker until it opens', async () => {
    const { client } = await setup([{ body: '{}' }], {
      retry: { retries: 0 },
      breaker: { volumeThreshold: 2, errorThresholdPercentage: 50 },
    });

    for (let i = 0; i < 2; i++) await client.tieredChat({ model: 'economy', messages: ask() });
    const third = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(third.attempts[0]).toMatchObject({ model: 'eco', outcome: 'skipped', errorCode: 'breaker_open' });
  });

  it('fails the call with AllModelsFailedError, not a TypeError, when nothing else answers', async () => {
    const { client } = await setup([{ body: '{"error":{"message":"nope"}}' }], { fallback: 'none' });

    const call = client.chat.completions.create({ model: 'economy', messages: ask() });

    await expect(call).rejects.toSatisfy(AllModelsFailedError.isInstance);
    await expect(call).rejects.toMatchObject({ attempts: [{ errorCode: 'invalid_response' }, { errorCode: 'invalid_response' }] });
  });
});

describe('a completion with odd parts', () => {
  const completion = (extra: object) => JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'eco', ...extra });

  it('is estimated, not priced at Infinity, when its usage counts are absurd', async () => {
    const usage = { prompt_tokens: 1.8e303, completion_tokens: 0, total_tokens: 1.8e303 };
    const { client } = await setup([
      { body: completion({ usage, choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] }) },
    ]);

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.usageEstimated).toBe(true);
    expect(Number.isFinite(result.costUsd)).toBe(true);
  });

  it('leaves no secret in request:end when a made-up finish reason echoes it', async () => {
    const choice = { index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: `stop ${rawKey}` };
    const { client, events } = await setup([{ body: completion({ choices: [choice] }) }]);

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(payloads(events, 'request:end')).toEqual([expect.objectContaining({ finishReasons: ['stop [redacted]'] })]);
    expectNoSecret(events);
  });
});

describe('a failed attempt', () => {
  it('releases its connection when the provider never finishes the error body', async () => {
    const { client, raw } = await setup([{ status: 407, events: ['{"error": {"message": "proxy auth'], hold: true }], {
      fallback: 'none',
      retry: { retries: 0 },
    });
    useFakeClock(); // released at once: a socket left to a timer (a pool's keep-alive) would never close while the clock stands still

    await client.chat.completions.create({ model: 'economy', messages: ask() }).catch(() => undefined);
    await client.close();

    await raw.allClosed();
  });
});

describe('a malformed stream', () => {
  it('falls back unseen when a chunk before the first token has no choices', async () => {
    const { client } = await setup([{ events: [sse({ id: 'x', object: 'chat.completion.chunk' }), sse('[DONE]')] }]);

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';

    expect(text).toBe('Hello from warm-std.');
    expect((await stream.final()).attempts.map((a) => a.errorCode ?? a.outcome)).toEqual(['invalid_response', 'invalid_response', 'ok']);
  });

  it('is interrupted, with its partial text, by a chunk without choices after the first token, and closes the upstream at once', async () => {
    const { client, raw, events } = await setup([{ events: [sse(chunk('Hello, ')), sse(chunk('wor')), sse({})], hold: true }]);

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    const read = (async () => {
      for await (const _ of stream);
    })();

    const error = await read.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ partialText: 'Hello, wor', model: 'eco', provider: 'raw' });
    expect(payloads(events, 'request:error')).toEqual([expect.objectContaining({ error })]);
    // The provider holds the socket open: only our abort closes it, long before any deadline.
    await raw.allClosed();
  });
});

describe('secrets echoed by a provider', () => {
  it('leave no trace in a stream error event, its cause, or request:error', async () => {
    const echo = { error: { message: `Invalid key ${rawKey} (gateway ${gatewayKey})`, type: 'invalid_request_error', key: rawKey } };
    const { client, events } = await setup([{ events: [sse(chunk('Hi')), sse(echo)], hold: true }]);

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    const error = await (async () => {
      for await (const _ of stream);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('[redacted]');
    expectNoSecret(error);
    expectNoSecret((error as Error).cause);
    expectNoSecret(events);
  });

  it("leave no trace when a bring-your-own client's gateway header is echoed in a 401 or a 500", async () => {
    const echo = (status: number): RawReply => ({
      status,
      body: JSON.stringify({ error: { message: `denied for header ${gatewayKey}`, type: 'auth', code: null } }),
      headers: { 'x-echo': gatewayKey },
    });
    const raw = await startRawProvider([echo(500), echo(500), echo(401)]);
    opened.push(raw);
    const own = new OpenAI({
      apiKey: 'sk-not-secret-enough',
      baseURL: raw.url,
      defaultHeaders: { 'X-Gateway-Key': gatewayKey, 'x-app': 'demo' },
    });
    const catalog = defineCatalog({
      providers: { raw: { client: own } },
      tiers: ['economy'],
      models: [{ id: 'eco', provider: 'raw', tier: 'economy', inputCostPerMTok: 0.2, outputCostPerMTok: 0.8, contextWindow: 16_000 }],
    });
    const client = createTieredClient({ catalog, retry: { retries: 1, minTimeoutMs: 0, maxTimeoutMs: 0 } });
    opened.push(client);
    const events = recordEvents(client);

    for (let i = 0; i < 2; i++) {
      const error = await client.chat.completions.create({ model: 'economy', messages: ask() }).catch((e: unknown) => e);
      expect(AllModelsFailedError.isInstance(error)).toBe(true);
      expectNoSecret(error);
    }
    expect(payloads(events, 'attempt:error').map((p) => (p as { error: { status?: number } }).error.status)).toEqual([500, 500, 401]);
    expectNoSecret(events);
  });

  it('leave no trace when echoed as a property name, in a header name, or nested deep in a body', async () => {
    let nested: Record<string, unknown> = { detail: rawKey };
    for (let i = 0; i < 30; i++) nested = { detail: nested };
    const body = JSON.stringify({ error: { message: 'see details', [gatewayKey]: null, details: nested } });
    const { client, events } = await setup([{ status: 500, body, headers: { [`x-echo-${gatewayKey}`]: '1' } }], { fallback: 'none' });

    const error = await client.chat.completions.create({ model: 'economy', messages: ask() }).catch((e: unknown) => e);

    expect(AllModelsFailedError.isInstance(error)).toBe(true);
    expectNoSecret(error);
    expect(everyForm(error)).not.toContain(gatewayKey.toLowerCase());
    expectNoSecret(events);
  });

  it('cuts a 28,000-character error page to 1,000 characters in events and errors', async () => {
    const page = `<html><body>${'<p>502 Bad Gateway</p>'.repeat(1_300)}</body></html>`;
    const { client, events } = await setup([{ status: 502, body: page, headers: { 'content-type': 'text/html' } }], { fallback: 'none' });

    const error = await client.chat.completions.create({ model: 'economy', messages: ask() }).catch((e: unknown) => e);

    const messages = payloads(events, 'attempt:error').map((p) => (p as { error: { message: string } }).error.message);
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(1_000);
    const cause = (error as AllModelsFailedError).attempts[1]?.error as Error;
    expect(cause.message.length).toBeLessThanOrEqual(1_000);
    expect(cause.message).toMatch(/^502 <html>.*cut from \d+ characters\)$/s);
  });
});

describe('redirects', () => {
  async function redirectTo(target: RawProvider | MockOpenAI, status = 307): Promise<RawReply> {
    return { status, headers: { location: `${target.url}/chat/completions` }, body: '' };
  }

  it('are not followed to another origin: a failed attempt redirect_blocked, not retried, and nothing reaches that origin', async () => {
    const elsewhere = await startRawProvider([{ body: '{}' }]);
    opened.push(elsewhere);
    const { client } = await setup([await redirectTo(elsewhere)]);

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.provider).toBe('healthy');
    expect(result.attempts.map((a) => [a.model, a.errorCode ?? a.outcome, a.status])).toEqual([
      ['eco', 'redirect_blocked', 307],
      ['warm-std', 'ok', undefined],
    ]);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('are followed to another origin with the provider option followRedirects: true', async () => {
    const elsewhere = await startMockOpenAI();
    opened.push(elsewhere);
    const { client } = await setup([await redirectTo(elsewhere)], {}, { followRedirects: true });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result).toMatchObject({ provider: 'raw', text: 'Hello from eco.' });
    expect(elsewhere.requests[0]?.headers['x-gateway-key']).toBe(gatewayKey);
  });

  it('are followed within the same origin when they keep the method (307, 308)', async () => {
    const { client, raw } = await setup([
      { status: 308, headers: { location: '/v1/moved/chat/completions' } },
      { body: JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'eco', choices: [] }) },
    ]);

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.attempts.map((a) => a.outcome)).toEqual(['ok']);
    expect(raw.requests.map((r) => [r.path, JSON.parse(r.body).model])).toEqual([
      ['/v1/chat/completions', 'eco'],
      ['/v1/moved/chat/completions', 'eco'],
    ]);
  });
});
