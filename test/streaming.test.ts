import { getEventListeners } from 'node:events';
import OpenAI, { APIUserAbortError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AllModelsFailedError,
  createTieredClient,
  defineCatalog,
  StreamInterruptedError,
  type RequestEndEvent,
  type RequestErrorEvent,
} from '../src/index.js';
import { ask, keys, names, recordEvents, useFleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

const fleet = useFleet();
afterEach(() => vi.useRealTimers());

const story = 'The quick brown fox jumps over the lazy dog, twice.';

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}
const textOf = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
const caught = <T>(p: Promise<T>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('create({ stream: true })', () => {
  it('yields the same chunks the raw openai client streams', async () => {
    fleet.primary.setReply('eco-mini', { content: story });
    const raw = new OpenAI({ apiKey: keys.primary, baseURL: fleet.primary.url, maxRetries: 0 });
    const client = fleet.client();

    const direct = await collect(await raw.chat.completions.create({ model: 'eco-mini', messages: ask(), stream: true }));
    const routed = await collect(await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }));

    const shape = (chunks: ChatCompletionChunk[]) => chunks.map((c) => ({ object: c.object, model: c.model, choices: c.choices }));
    expect(shape(routed)).toEqual(shape(direct));
    expect(textOf(routed)).toBe(story);
  });

  it('asks the provider for usage, and hides the usage chunk from a caller who did not ask for it', async () => {
    const client = fleet.client();

    const chunks = await collect(await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }));

    expect(fleet.primary.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
  });

  it('passes the usage chunk on to a caller who asked for it', async () => {
    const client = fleet.client();

    const chunks = await collect(
      await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true, stream_options: { include_usage: true } }),
    );

    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
  });
});

describe('client.tieredChat({ stream: true })', () => {
  it('offers the text as a textStream and the routing result from final()', async () => {
    fleet.primary.setReply('eco-mini', { content: story, usage: { promptTokens: 10, completionTokens: 12 } });
    const client = fleet.client();

    const stream = client.tieredChat({ model: 'economy', messages: ask(), stream: true });
    let text = '';
    for await (const piece of stream.textStream) text += piece;
    const result = await stream.final();

    expect(text).toBe(story);
    expect(result).toMatchObject({
      text: story,
      model: 'eco-mini',
      provider: 'primary',
      tier: 'economy',
      usage: { inputTokens: 10, outputTokens: 12, cachedInputTokens: 0 },
      usageEstimated: false,
      attempts: [{ outcome: 'ok' }],
    });
    expect(result.completion).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: story }, finish_reason: 'stop' }],
    });
    expect(result.costUsd).toBeCloseTo((10 * 0.1 + 12 * 0.4) / 1e6, 12);
  });

  it('reads the stream to its end when only final() is awaited', async () => {
    fleet.primary.setReply('eco-mini', { content: story });

    const result = await fleet.client().tieredChat({ model: 'economy', messages: ask(), stream: true }).final();

    expect(result.text).toBe(story);
  });

  it('reports ttftMs up to the first token, latencyMs up to the end, and the exact usage in request:end', async () => {
    useFakeClock();
    const client = fleet.client();
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { content: story, latencyMs: 30 });

    const reading = (async () => {
      let tokens = 0;
      for await (const chunk of client.tieredChat({ model: 'economy', messages: ask(), stream: true })) {
        if (chunk.choices[0]?.delta.content && ++tokens === 1) await advance(15); // the reader takes 15 ms over the first token
      }
    })();
    await fleet.primary.waitForRequests(1);
    await advance(30); // the provider's wait before its first token
    await reading;

    const end = events.find((e) => e.name === 'request:end')?.payload as RequestEndEvent;
    expect(end).toMatchObject({ stream: true, usageEstimated: false, cached: false, ttftMs: 30, latencyMs: 45 });
    expect(names(events)).toEqual(['request:start', 'attempt:start', 'request:end']);
  });

  it('estimates usage when the provider sends none, and says so', async () => {
    fleet.primary.setReply('eco-mini', { content: story, streamUsage: false });
    const client = fleet.client();

    const result = await client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();

    expect(result.usageEstimated).toBe(true);
    expect(result.usage.outputTokens).toBe(Math.ceil(story.length / 4));
    expect(result.costUsd).toBeGreaterThan(0);
  });
});

describe('a failure before the first token', () => {
  it.each([
    ['a 500', { status: 500 }],
    ['a 429 with retry-after', { status: 429, headers: { 'retry-after': '120' } }],
    ['a connection reset', { fault: 'reset' as const }],
    ['a malformed first event', { fault: 'malformed' as const }],
    ['a stream cut before any token', { content: story, cutAfterChunks: 0 }],
    ['a stream that ends quietly before any token', { content: story, endAfterChunks: 0 }],
  ])('%s moves on to the next deployment, and the caller sees one clean stream', async (_what, reply) => {
    const client = fleet.client({ retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', reply);
    fleet.secondary.setReply('eco-mini', { content: story });

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    const chunks = await collect(stream);

    expect(textOf(chunks)).toBe(story);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1); // every chunk from one upstream stream
    expect(fleet.secondary.requests).toHaveLength(1);
  });

  it('a hang past timeouts.firstTokenMs moves on, and the hanging request is closed', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 0 }, timeouts: { firstTokenMs: 50 } });
    fleet.primary.setReply('eco-mini', { fault: 'hang' });

    let tries = 0;
    client.on('attempt:start', () => tries++);

    const final = client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();
    await fleet.primary.waitForRequests(1);
    await advance(49);
    expect(tries).toBe(1); // still waiting for primary's first token
    await advance(1);
    const result = await final;

    expect(result.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`)).toEqual(['primary:timeout', 'secondary:ok']);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
  });

  it('a silence after the role chunk but before the first token also counts as no first token', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 0 }, timeouts: { firstTokenMs: 50 } });
    // The role chunk comes at 30 ms: a limit it restarted would end at 80 ms, not 50.
    fleet.primary.setReply('eco-mini', { content: story, hangAfterChunks: 0, latencyMs: 30 });
    fleet.secondary.setReply('eco-mini', { content: story });

    const final = client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();
    await fleet.primary.waitForRequests(1);
    await advance(30);
    await advance(20);
    const result = await final;

    expect(result.provider).toBe('secondary');
    expect(result.text).toBe(story);
  });

  it('rejects create() with AllModelsFailedError when every deployment fails', async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 503 });
    fleet.secondary.setReply('eco-mini', { status: 503 });

    const error = await caught(client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }));

    expect(error).toBeInstanceOf(AllModelsFailedError);
  });

  it('skips a deployment whose breaker is open, with no network call', async () => {
    // Affinity off: the second call of this one conversation would go straight where the first was answered.
    const client = fleet.client({ retry: { retries: 0 }, breaker: { volumeThreshold: 1 }, affinity: false });
    fleet.primary.setReply('eco-mini', { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();
    const seen = fleet.primary.requests.length;

    const result = await client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();

    expect(fleet.primary.requests).toHaveLength(seen);
    expect(result.attempts[0]).toMatchObject({ provider: 'primary', outcome: 'skipped', errorCode: 'breaker_open' });
  });
});

describe('a failure after the first token', () => {
  it.each([
    ['a cut connection', { cutAfterChunks: 2 }, {}],
    ['a malformed event', { malformedAfterChunks: 2 }, {}],
    ['a silence past timeouts.idleMs', { hangAfterChunks: 2 }, { idleMs: 50 }],
    ['an end without a finish reason', { endAfterChunks: 2 }, {}],
  ])('%s throws StreamInterruptedError with the text so far, and nothing is restarted', async (_what, fault, timeouts) => {
    useFakeClock();
    const client = fleet.client({ timeouts });
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { content: story, chunkChars: 8, ...fault });

    const seen: ChatCompletionChunk[] = [];
    const error = await caught(
      (async () => {
        for await (const chunk of await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true })) {
          seen.push(chunk);
          // Asking for the next chunk starts the silence that timeouts.idleMs bounds: it passes on the fake clock.
          if ('idleMs' in timeouts && textOf(seen) === story.slice(0, 16)) void advance(timeouts.idleMs);
        }
      })(),
    );

    expect(error).toBeInstanceOf(StreamInterruptedError);
    const interrupted = error as StreamInterruptedError;
    expect(interrupted).toMatchObject({
      code: 'STREAM_INTERRUPTED',
      model: 'eco-mini',
      provider: 'primary',
      partialText: story.slice(0, 16),
    });
    expect(textOf(seen)).toBe(story.slice(0, 16));
    expect(interrupted.cause).toBeDefined();
    expect(fleet.primary.requests).toHaveLength(1);
    expect(fleet.secondary.requests).toHaveLength(0);
    const failure = events.at(-1);
    expect(failure?.name).toBe('request:error');
    expect((failure?.payload as RequestErrorEvent).costUsd).toBeGreaterThan(0); // what was generated was billed
  });

  it('counts toward the deployment breaker', async () => {
    const client = fleet.client({ breaker: { volumeThreshold: 1 } });
    fleet.primary.setReply('eco-mini', { content: story, cutAfterChunks: 2 });
    const opened = new Promise((resolve) => client.on('breaker:open', resolve));

    const error = await caught(client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final());

    expect(error).toBeInstanceOf(StreamInterruptedError);
    await expect(opened).resolves.toEqual({ model: 'eco-mini', provider: 'primary' });
    expect(client.health()[0]?.breaker).toBe('open');
  });
});

describe('cancelling a stream', () => {
  it('options.signal before the first token rejects create() with APIUserAbortError and closes the request', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { fault: 'hang' });
    const controller = new AbortController();

    const call = client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }, { signal: controller.signal });
    await fleet.primary.waitForRequests(1);
    controller.abort();

    expect(await caught(call)).toBeInstanceOf(APIUserAbortError);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
    expect(fleet.secondary.requests).toHaveLength(0);
  });

  it('options.signal mid-stream makes the loop throw an AbortError and closes the upstream connection', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: story, hangAfterChunks: 2 });
    const controller = new AbortController();

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }, { signal: controller.signal });
    const error = await caught(
      (async () => {
        for await (const chunk of stream) if (chunk.choices[0]?.delta.content) controller.abort();
      })(),
    );

    expect(error).toMatchObject({ name: 'AbortError' });
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('stream.controller.abort() works as on an openai Stream', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: story, hangAfterChunks: 2 });

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    const error = await caught(
      (async () => {
        for await (const _ of stream) stream.controller.abort();
      })(),
    );

    expect(error).toMatchObject({ name: 'AbortError' });
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
  });

  it('break ends the loop quietly and closes the upstream connection', async () => {
    const client = fleet.client();
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { content: story, hangAfterChunks: 3 }); // still streaming when the caller leaves

    let pieces = 0;
    for await (const chunk of await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true })) {
      if (chunk.choices[0]?.delta.content && ++pieces === 2) break;
    }

    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
    expect(events.at(-1)).toMatchObject({ name: 'request:error', payload: { error: { name: 'AbortError' } } });
  });

  it('an error thrown in the caller loop closes the upstream connection and surfaces unchanged', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: story, hangAfterChunks: 3 }); // still streaming when the caller leaves
    const mine = new Error('my bug');

    const error = await caught(
      (async () => {
        for await (const _ of await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true })) throw mine;
      })(),
    );

    expect(error).toBe(mine);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
  });
});

describe('a stream', () => {
  it('that nobody reads ends at the call deadline, releasing its connection and its listener', async () => {
    useFakeClock();
    const client = fleet.client({ timeouts: { deadlineMs: 150 } });
    fleet.primary.setReply('eco-mini', { content: story, hangAfterChunks: 2 });
    const controller = new AbortController();
    const ended = new Promise<RequestErrorEvent>((resolve) => client.on('request:error', resolve));

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }, { signal: controller.signal });
    await advance(150);
    const failure = await ended; // no read happened: the deadline alone ended it

    expect(failure.error).toBeInstanceOf(StreamInterruptedError);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await expect(collect(stream)).rejects.toBeInstanceOf(StreamInterruptedError); // told at the next read
  });

  it('whose reader is slow is not taken for a silent provider', async () => {
    useFakeClock();
    const client = fleet.client({ timeouts: { idleMs: 40 } });
    fleet.primary.setReply('eco-mini', { content: story, chunkChars: 20 });

    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
      await advance(80); // 80 ms of the reader's own work per chunk, twice the idle limit
    }

    expect(text).toBe(story);
  });

  it('that is interrupted says so in the audit trail', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: story, cutAfterChunks: 2 });
    const failed = new Promise<RequestErrorEvent>((resolve) => client.on('request:error', resolve));

    await caught(client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final());

    expect((await failed).attempts.map((a) => [a.outcome, a.errorCode])).toEqual([['error', 'connection_error']]);
  });

  it('to a provider that cannot report usage asks for none, even when the caller does', async () => {
    const catalog = defineCatalog({
      providers: { p: { apiKey: keys.primary, baseURL: fleet.primary.url } },
      tiers: ['t'],
      models: [
        { id: 'legacy', provider: 'p', tier: 't', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 4_000, streamUsage: false },
      ],
    });
    const client = createTieredClient({ catalog });

    const result = await client.tieredChat({ model: 't', messages: ask(), stream: true, stream_options: { include_usage: true } }).final();
    await client.close();

    expect(fleet.primary.requests[0]?.body).not.toHaveProperty('stream_options');
    expect(result.usageEstimated).toBe(true);
  });
});

describe('a stream its caller leaves before the first token', () => {
  it('stops looking: the attempt in flight is cut off and no fallback follows', async () => {
    useFakeClock();
    const client = fleet.client({ timeouts: { firstTokenMs: 1_000 } });
    fleet.primary.setReply('eco-mini', { fault: 'hang' });
    const stream = client.tieredChat({ model: 'economy', messages: ask(), stream: true });
    const reading = stream[Symbol.asyncIterator]();
    const first = reading.next();
    await fleet.primary.waitForRequests(1);

    await reading.return();
    await advance(5_000);

    expect(await first).toEqual({ done: true, value: undefined });
    await expect(stream.final()).rejects.toThrow();
    expect(fleet.primary.requests).toHaveLength(1);
    expect(fleet.secondary.requests).toHaveLength(0);
  });
});
