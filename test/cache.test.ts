import { getEventListeners } from 'node:events';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CacheStore, type TieredClientOptions } from '../src/index.js';
import { ask, keys, names, recordEvents, useFleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

const fleet = useFleet();
afterEach(() => vi.useRealTimers());

const cached = (options: Omit<TieredClientOptions, 'catalog'>['cache'] = {}) => fleet.client({ cache: options });
const upstream = () => fleet.primary.requests.length + fleet.secondary.requests.length;

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('the response cache', () => {
  it('serves an identical request without calling the provider, at no cost, saying what it saved', async () => {
    const client = cached();
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { content: 'Paris.', usage: { promptTokens: 1_000, completionTokens: 100 } });

    const first = await client.tieredChat({ model: 'economy', messages: ask('Capital of France?') });
    events.length = 0;
    const second = await client.tieredChat({ model: 'economy', messages: ask('Capital of France?') });

    expect(upstream()).toBe(1);
    expect(second).toMatchObject({
      cached: true,
      costUsd: 0,
      savedUsd: first.costUsd,
      text: 'Paris.',
      model: 'eco-mini',
      provider: 'primary',
    });
    expect(second.completion).toEqual(first.completion);
    expect(first).toMatchObject({ cached: false, savedUsd: 0 });
    expect(names(events)).toEqual(['request:start', 'cache:hit', 'request:end']);
    expect(events.at(-1)?.payload).toMatchObject({ cached: true, costUsd: 0, savedUsd: first.costUsd, attempts: [] });
  });

  it('is off unless configured', async () => {
    const client = fleet.client();

    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(upstream()).toBe(2);
  });

  it('does not care about property order', async () => {
    const client = cached();
    await client.chat.completions.create({ model: 'economy', temperature: 0, messages: [{ role: 'user', content: 'hi', name: 'ann' }] });

    await client.chat.completions.create({ messages: [{ name: 'ann', content: 'hi', role: 'user' }], temperature: 0, model: 'economy' });

    expect(upstream()).toBe(1);
  });

  it.each<[string, Record<string, unknown>]>([
    ['messages', { messages: ask('Something else?') }],
    ['temperature', { temperature: 0.5 }],
    ['top_p', { top_p: 0.5 }],
    ['max_completion_tokens', { max_completion_tokens: 10 }],
    ['max_tokens', { max_tokens: 10 }],
    ['stop', { stop: ['END'] }],
    ['seed', { seed: 42 }],
    ['n', { n: 2 }],
    ['tools', { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] }],
    ['tool_choice', { tool_choice: 'none' }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['presence_penalty', { presence_penalty: 1 }],
    ['model', { model: 'warm' }],
  ])('misses when %s changes', async (_field, change) => {
    const client = cached();
    const base = { model: 'economy' as const, messages: ask('Original question?') };
    await client.chat.completions.create(base);

    await client.chat.completions.create({ ...base, ...change } as typeof base);

    expect(upstream()).toBe(2);
  });

  it('is not split by stream or stream_options: a stored answer replays as a stream', async () => {
    const client = cached();
    const text = 'A cached answer, replayed as chunks of the same shape.';
    fleet.primary.setReply('eco-mini', { content: text });
    const original = await client.chat.completions.create({ model: 'economy', messages: ask() });

    const chunks = await collect(
      await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true, stream_options: { include_usage: true } }),
    );

    expect(upstream()).toBe(1);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(text);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === original.id)).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: original.usage });
  });

  it('stores a complete streamed answer, for streaming and non-streaming calls alike', async () => {
    const client = cached();
    const text = 'Streamed once, served twice.';
    fleet.primary.setReply('eco-mini', { content: text });
    const live = await client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();

    const again = await client.tieredChat({ model: 'economy', messages: ask() });
    const replay = await client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();

    expect(upstream()).toBe(1);
    expect([again.text, replay.text]).toEqual([text, text]);
    expect([again.cached, replay.cached]).toEqual([true, true]);
    expect(again.savedUsd).toBe(live.costUsd);
  });

  it('hands out copies: a caller mutating its answer does not change the cache', async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'The original answer.' });
    const first = await client.chat.completions.create({ model: 'economy', messages: ask() });
    first.choices[0]!.message.content = 'tampered by the first caller';
    const second = await client.chat.completions.create({ model: 'economy', messages: ask() });
    second.choices[0]!.message.content = 'tampered by the second';

    const third = await client.chat.completions.create({ model: 'economy', messages: ask() });

    expect(third.choices[0]?.message.content).toBe('The original answer.');
  });
});

describe('the response cache never stores', () => {
  it('errors', async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', { status: 400 });
    await client.tieredChat({ model: 'economy', messages: ask() }).catch(() => undefined);
    fleet.primary.setReply('eco-mini', {});

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.cached).toBe(false);
    expect(fleet.primary.requests).toHaveLength(2);
  });

  it('content-filtered answers', async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: '', finishReason: 'content_filter' });
    await client.tieredChat({ model: 'economy', messages: ask() });

    const second = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(second.cached).toBe(false);
  });

  it('interrupted streams', async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'This stream will be cut short, twice over.', cutAfterChunks: 2 });
    await client
      .tieredChat({ model: 'economy', messages: ask(), stream: true })
      .final()
      .catch(() => undefined);
    fleet.primary.setReply('eco-mini', {});

    const second = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(second.cached).toBe(false);
  });

  it('streams the caller broke off', async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'A long answer nobody read to the end.', hangAfterChunks: 1 });
    for await (const _ of await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true })) break;

    const second = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(second.cached).toBe(false);
  });
});

describe('bounds', () => {
  it('forgets an answer after ttlMs', async () => {
    useFakeClock();
    const client = cached({ ttlMs: 1_000 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await advance(999);
    expect((await client.tieredChat({ model: 'economy', messages: ask() })).cached).toBe(true);

    await advance(2);
    const later = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(later.cached).toBe(false);
  });

  it('evicts the least recently used answer past maxEntries', async () => {
    const client = cached({ maxEntries: 2 });
    for (const q of ['a?', 'b?', 'a?', 'c?']) await client.tieredChat({ model: 'economy', messages: ask(q) }); // b is least recent when c comes

    const a = await client.tieredChat({ model: 'economy', messages: ask('a?') });
    const b = await client.tieredChat({ model: 'economy', messages: ask('b?') });

    expect([a.cached, b.cached]).toEqual([true, false]);
  });

  it('does not store an answer larger than maxBytes', async () => {
    const client = cached({ maxBytes: 2_000 });
    fleet.primary.setReply('eco-mini', { content: 'x'.repeat(5_000) });
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect((await client.tieredChat({ model: 'economy', messages: ask() })).cached).toBe(false);
  });
});

describe('identical calls in flight', () => {
  it('make one upstream request: 100 concurrent calls, one leader', async () => {
    useFakeClock();
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'Shared.', latencyMs: 30 });

    const calls = Array.from({ length: 100 }, () => client.tieredChat({ model: 'economy', messages: ask() }));
    await fleet.primary.waitForRequests(1); // the leader's request, answered once the followers are all waiting on it
    await advance(30);
    const results = await Promise.all(calls);

    expect(upstream()).toBe(1);
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
    expect(new Set(results.map((r) => r.text))).toEqual(new Set(['Shared.']));
    expect(results.reduce((sum, r) => sum + r.costUsd, 0)).toBe(results.find((r) => !r.cached)?.costUsd);
  });

  it("share the leader's error, and nothing is stored", async () => {
    useFakeClock();
    const client = cached();
    fleet.primary.setReply('eco-mini', { status: 400, latencyMs: 20 });

    const settling = Promise.allSettled(Array.from({ length: 5 }, () => client.tieredChat({ model: 'economy', messages: ask() })));
    await fleet.primary.waitForRequests(1);
    await advance(20);
    const outcomes = await settling;

    expect(outcomes.every((o) => o.status === 'rejected' && (o.reason as { status?: number }).status === 400)).toBe(true);
    expect(upstream()).toBe(1);
    fleet.primary.setReply('eco-mini', {});
    expect((await client.tieredChat({ model: 'economy', messages: ask() })).cached).toBe(false);
  });

  it('fetch for themselves when the leader is aborted by its own caller', async () => {
    const client = cached();
    fleet.primary.enqueue('eco-mini', { fault: 'hang' });
    const controller = new AbortController();

    const leader = client.tieredChat({ model: 'economy', messages: ask() }, { signal: controller.signal });
    await fleet.primary.waitForRequests(1);
    const follower = client.tieredChat({ model: 'economy', messages: ask() });
    controller.abort();

    await expect(leader).rejects.toThrow();
    await expect(follower).resolves.toMatchObject({ cached: false });
    expect(fleet.primary.requests).toHaveLength(2);
  });

  it('a streaming follower gets a replay once the leader completes', async () => {
    useFakeClock();
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'Led and followed.', latencyMs: 20 });

    const both = Promise.all([
      client.tieredChat({ model: 'economy', messages: ask() }),
      client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final(),
    ]);
    await fleet.primary.waitForRequests(1);
    await advance(20);
    const [leader, follower] = await both;

    expect(upstream()).toBe(1);
    expect(follower).toMatchObject({ cached: true, text: leader.text });
  });
});

describe('per-call control', () => {
  it('cache: false neither reads nor writes', async () => {
    const client = cached();
    await client.tieredChat({ model: 'economy', messages: ask() });

    const bypass = await client.tieredChat({ model: 'economy', messages: ask() }, { cache: false });

    expect(bypass.cached).toBe(false);
    expect(upstream()).toBe(2);
  });

  it("cache: 'refresh' fetches anew and overwrites", async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'old' });
    await client.tieredChat({ model: 'economy', messages: ask() });
    fleet.primary.setReply('eco-mini', { content: 'new' });

    const refreshed = await client.tieredChat({ model: 'economy', messages: ask() }, { cache: 'refresh' });
    const after = await client.tieredChat({ model: 'economy', messages: ask() });

    expect([refreshed.text, refreshed.cached]).toEqual(['new', false]);
    expect([after.text, after.cached]).toEqual(['new', true]);
  });

  it('namespaces never see each other', async () => {
    const client = cached({ namespace: 'app' });
    const events = recordEvents(client);
    await client.tieredChat({ model: 'economy', messages: ask() }, { cacheNamespace: 'tenant-a' });

    const otherTenant = await client.tieredChat({ model: 'economy', messages: ask() }, { cacheNamespace: 'tenant-b' });
    const defaultNamespace = await client.tieredChat({ model: 'economy', messages: ask() });
    const sameTenant = await client.tieredChat({ model: 'economy', messages: ask() }, { cacheNamespace: 'tenant-a' });

    expect([otherTenant.cached, defaultNamespace.cached, sameTenant.cached]).toEqual([false, false, true]);
    expect(events.filter((e) => e.name === 'cache:hit').map((e) => e.payload)).toEqual([
      expect.objectContaining({ namespace: 'tenant-a' }),
    ]);
  });

  it("policy 'deterministic' caches only temperature: 0 requests", async () => {
    const client = cached({ policy: 'deterministic' });
    for (let i = 0; i < 2; i++) await client.tieredChat({ model: 'economy', messages: ask(), temperature: 0.7 });
    for (let i = 0; i < 2; i++) await client.tieredChat({ model: 'economy', messages: ask(), temperature: 0 });

    expect(upstream()).toBe(3);
  });
});

describe('a failing cache store', () => {
  const failing = (behaviour: 'throw' | 'reject' | 'hang'): CacheStore => {
    const act = () => {
      if (behaviour === 'throw') throw new Error('store exploded');
      return behaviour === 'reject' ? Promise.reject(new Error('store is down')) : new Promise<never>(() => {});
    };
    return { get: act, set: act, delete: act };
  };

  it.each(['throw', 'reject', 'hang'] as const)(
    'that fails to %s leaves the call uncached and successful, with cache:error',
    async (behaviour) => {
      useFakeClock();
      const store = failing(behaviour);
      // Each operation of the store that hangs waits out the cache's time limit, played at once on the fake clock.
      const limited =
        <A extends unknown[], R>(operation: (...args: A) => R) =>
        (...args: A): R => (void advance(20), operation(...args));
      const client = cached({ store: { get: limited(store.get), set: limited(store.set), delete: limited(store.delete) }, timeoutMs: 20 });
      const events = recordEvents(client);

      const first = await client.tieredChat({ model: 'economy', messages: ask() });
      const second = await client.tieredChat({ model: 'economy', messages: ask() });

      expect([first.cached, second.cached]).toEqual([false, false]);
      expect(events.filter((e) => e.name === 'cache:error').map((e) => (e.payload as { action: string }).action)).toContain('get');
    },
  );

  it('never puts a provider key in cache:error, even when the store quotes one in its error', async () => {
    const leaky = (): Promise<never> => Promise.reject(new Error(`connection refused (configured with ${keys.primary})`));
    const client = cached({ store: { get: leaky, set: leaky, delete: leaky } });
    const messages: string[] = [];
    client.on('cache:error', (e) => messages.push(e.error.message));

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join(' ')).not.toContain(keys.primary);
  });

  it('is skipped after 3 failures in a row: calls stop asking it for 5 s, then one call attempts it again', async () => {
    useFakeClock();
    let asked = 0;
    const down = (): Promise<never> => (asked++, Promise.reject(new Error('store is down')));
    const client = cached({ store: { get: down, set: down, delete: down } });
    const errors: string[] = [];
    client.on('cache:error', (e) => errors.push(`${e.action}: ${e.error.message}`));

    await client.tieredChat({ model: 'economy', messages: ask() }); // get and set fail
    await client.tieredChat({ model: 'economy', messages: ask() }); // get fails a third time: the store is skipped from now on
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(asked).toBe(3);
    // Every call that went uncached says so, the skipped ones too.
    const skipped = 'The cache store is skipped after 3 failures in a row (last: store is down); it is tried again in 5000 ms.';
    expect(errors).toEqual([
      'get: store is down',
      'set: store is down',
      'get: store is down',
      `set: ${skipped}`,
      `get: ${skipped}`,
      `set: ${skipped}`,
    ]);

    await advance(4_999);
    await client.tieredChat({ model: 'economy', messages: ask() });
    expect(asked).toBe(3); // still skipped
    await advance(1);
    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(asked).toBe(4); // one attempt, which failed: skipped again
  });

  it('never holds a prompt in a key', async () => {
    const keys: string[] = [];
    const values = new Map<string, string>();
    const store: CacheStore = {
      get: (key) => (keys.push(key), values.get(key)),
      set: (key, value) => void (keys.push(key), values.set(key, value)),
      delete: (key) => void values.delete(key),
    };
    const client = cached({ store });

    await client.tieredChat({ model: 'economy', messages: ask('my secret question about payroll') });

    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => /^[A-Za-z0-9_-]{43}$/.test(k))).toBe(true);
  });
});

describe('a shared cache store', () => {
  /** A store of its own process, like Redis: a write lands on a later turn of the event loop. */
  const sharedStore = () => {
    const values = new Map<string, string>();
    const store: CacheStore = {
      get: async (key) => values.get(key),
      set: (key, value) => new Promise<void>((resolve) => setImmediate(() => resolve(void values.set(key, value)))),
      delete: async (key) => void values.delete(key),
    };
    return { store, values };
  };

  it('holds a non-streaming answer once the call resolves: another machine asking next gets it', async () => {
    const { store } = sharedStore();
    const [a, b] = [cached({ store }), cached({ store })];

    const onA = await a.tieredChat({ model: 'economy', messages: ask() });
    const onB = await b.tieredChat({ model: 'economy', messages: ask() });

    expect([onA.cached, onB.cached]).toEqual([false, true]);
    expect(upstream()).toBe(1);
  });

  it('ends its wait for the store when the caller aborts, and still returns the answer in hand', async () => {
    const caller = new AbortController();
    let finishWrite = (): void => {};
    // A store whose write takes as long as the test says, and which aborts the caller while it is at it.
    const store: CacheStore = {
      get: () => undefined,
      set: () => (caller.abort(), new Promise<void>((resolve) => (finishWrite = resolve))),
      delete: () => {},
    };
    const client = cached({ store, timeoutMs: 60_000 });

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { signal: caller.signal });
    finishWrite();

    expect(result.text).not.toBe('');
  });

  it('reports a failed write before request:end, which stays the last event of the call', async () => {
    const store: CacheStore = {
      get: async () => undefined,
      set: async () => Promise.reject(new Error('read-only replica')),
      delete: () => {},
    };
    const client = cached({ store });
    const events = recordEvents(client);

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(names(events).slice(-2)).toEqual(['cache:error', 'request:end']);
  });

  it('does not store the answers of calls that finish after close()', async () => {
    useFakeClock();
    const { store, values } = sharedStore();
    const client = cached({ store });
    fleet.primary.setReply('eco-mini', { latencyMs: 20 });

    const inFlight = client.tieredChat({ model: 'economy', messages: ask() });
    await fleet.primary.waitForRequests(1);
    const closing = client.close();
    await advance(20); // the answer arrives after close() was called
    await closing;
    await inFlight;

    expect(values.size).toBe(0);
  });

  it('close() waits for a streamed answer still being written', async () => {
    const { store, values } = sharedStore();
    const client = cached({ store });

    for await (const _ of await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }));
    await client.close();

    expect(values.size).toBe(1);
  });
});

describe('the cache, at its edges', () => {
  it('a stream leads no one: identical streams started together each fetch, and neither waits on the other', async () => {
    useFakeClock();
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'Two readers.', latencyMs: 10 });

    const started = Promise.all([
      client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }),
      client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }),
    ]);
    await fleet.primary.waitForRequests(2); // both asked before either was answered
    await advance(10);
    const [a, b] = await started;
    await Promise.all([collect(a), collect(b)]);

    expect(upstream()).toBe(2);
  });

  it("a replay stops with an AbortError when the caller aborts, and holds no listener on the caller's signal", async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'Replayed, then aborted.' });
    await client.tieredChat({ model: 'economy', messages: ask() });
    const controller = new AbortController();

    const replay = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }, { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const error = await (async () => {
      for await (const _ of replay) controller.abort();
    })().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ name: 'AbortError' });
  });

  it('when the leader is aborted, its followers pick one new leader among them', async () => {
    useFakeClock();
    const client = cached();
    fleet.primary.enqueue('eco-mini', { fault: 'hang' });
    fleet.primary.setReply('eco-mini', { content: 'Fetched once more.', latencyMs: 10 });
    const controller = new AbortController();

    const leader = client.tieredChat({ model: 'economy', messages: ask() }, { signal: controller.signal });
    await fleet.primary.waitForRequests(1);
    const followers = Array.from({ length: 5 }, () => client.tieredChat({ model: 'economy', messages: ask() }));
    controller.abort();

    await expect(leader).rejects.toThrow();
    await fleet.primary.waitForRequests(2); // the new leader's request
    await advance(10);
    const results = await Promise.all(followers);
    expect(fleet.primary.requests).toHaveLength(2);
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
  });

  it('reads a value it does not recognise (another version, another app) as a miss', async () => {
    const foreign: CacheStore = {
      get: () => JSON.stringify({ completion: {}, model: 'x' }),
      set: () => undefined,
      delete: () => undefined,
    };
    const client = cached({ store: foreign });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });
    const streamed = await client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();

    expect([result.cached, streamed.cached]).toEqual([false, false]);
  });

  it('does not store a stream whose usage never came: it may have been cut after its finish', async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', { content: 'Usage owed, never paid.', streamUsage: false });
    await client.tieredChat({ model: 'economy', messages: ask(), stream: true }).final();

    expect((await client.tieredChat({ model: 'economy', messages: ask() })).cached).toBe(false);
  });

  it('estimates the tokens of a tool call when the provider reports none', async () => {
    const client = cached();
    fleet.primary.setReply('eco-mini', {
      toolCalls: [{ name: 'lookup_weather', arguments: '{"city":"Paris","unit":"celsius"}' }],
      usage: null,
    });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.usageEstimated).toBe(true);
    expect(result.usage.outputTokens).toBeGreaterThanOrEqual(10);
  });

  it("with invalid per-call options leaves no listener on the caller's signal", async () => {
    const client = cached();
    const controller = new AbortController();

    await client
      .tieredChat({ model: 'economy', messages: ask() }, { signal: controller.signal, cache: 'yes' as never })
      .catch(() => undefined);

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('a call that follows another identical one', () => {
  it('may give up before it starts: the leader failing later is no unhandled rejection', async () => {
    const client = fleet.client({ cache: {}, fallback: 'none' });
    fleet.primary.setReply('eco-mini', { fault: 'hang' });
    const controller = new AbortController();
    const leader = client.tieredChat({ model: 'economy', messages: ask('Hold on.') }, { signal: controller.signal });
    await fleet.primary.waitForRequests(1);

    const follower = client.tieredChat({ model: 'economy', messages: ask('Hold on.') }, { signal: AbortSignal.abort() });
    await expect(follower).rejects.toThrow();
    controller.abort();
    await expect(leader).rejects.toThrow();
    // A rejection nobody handled would fail this file: give it the turns it needs to surface.
    await new Promise((resolve) => setImmediate(resolve));
  });
});
