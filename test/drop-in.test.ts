import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AllModelsFailedError, ClientClosedError, configure, createTieredClient, defineCatalog, tieredChat } from '../src/index.js';
import { startMockOpenAI } from '../src/testing/index.js';
import { ask, keys, useFleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

const fleet = useFleet();
afterEach(() => vi.useRealTimers());

describe('client.chat.completions.create()', () => {
  it('resolves to the same ChatCompletion the raw openai client gets', async () => {
    const raw = new OpenAI({ apiKey: keys.primary, baseURL: fleet.primary.url, maxRetries: 0 });
    const tiered = fleet.client();
    fleet.primary.setReply('warm-std', { content: 'The same answer.' });

    const direct = await raw.chat.completions.create({ model: 'warm-std', messages: ask() });
    const routed = await tiered.chat.completions.create({ model: 'warm-std', messages: ask() });

    expect(routed.object).toBe('chat.completion');
    expect(routed.choices).toEqual(direct.choices);
    expect(routed.usage).toEqual(direct.usage);
    expect(routed.model).toBe(direct.model);
  });

  it('passes every parameter upstream unchanged except model', async () => {
    const client = fleet.client();
    const params = {
      model: 'economy' as const,
      messages: [
        { role: 'system' as const, content: 'Be terse.' },
        { role: 'user' as const, content: 'Weather in Paris?' },
      ],
      tools: [
        {
          type: 'function' as const,
          function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
      ],
      tool_choice: 'auto' as const,
      response_format: { type: 'json_object' as const },
      seed: 7,
      temperature: 0.2,
      max_completion_tokens: 64,
      user: 'user-42',
    };

    await client.chat.completions.create(params);

    const [request] = fleet.primary.requests;
    expect(request?.body).toEqual({ ...params, model: 'eco-mini' });
  });

  it('sends the request options headers upstream', async () => {
    const client = fleet.client();

    await client.chat.completions.create({ model: 'economy', messages: ask() }, { headers: { 'x-tenant': 'acme' } });

    expect(fleet.primary.requests[0]?.headers).toMatchObject({ 'x-tenant': 'acme' });
  });

  it('makes each upstream request exactly once itself: the wrapped clients never retry on their own', async () => {
    const mock = await startMockOpenAI({ models: { solo: { status: 500 } } });
    const ownClient = new OpenAI({ apiKey: 'sk-own-client-key-1234', baseURL: mock.url }); // maxRetries defaults to 2
    try {
      const catalog = defineCatalog({
        providers: { mine: { client: ownClient } },
        tiers: ['only'],
        models: [{ id: 'solo', provider: 'mine', tier: 'only', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8_000 }],
      });
      const client = createTieredClient({ catalog, retry: { retries: 1, minTimeoutMs: 0, maxTimeoutMs: 0 } });

      await expect(client.chat.completions.create({ model: 'only', messages: ask() })).rejects.toThrow();

      expect(mock.requests).toHaveLength(2); // 1 try + 1 retry of ours, none of openai's
      expect(ownClient.maxRetries).toBe(2); // the application's own client is left as it was
      await client.close();
    } finally {
      await mock.close();
    }
  });
});

describe("create()'s withResponse() and asResponse(), as on openai's APIPromise", () => {
  it('give the completion, the HTTP response of the attempt that answered, and its request id', async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 503 });

    const { data, response, request_id } = await client.chat.completions.create({ model: 'economy', messages: ask() }).withResponse();

    expect(response.status).toBe(200);
    expect(request_id).toMatch(/^req_/);
    expect((data as { _request_id?: string })._request_id).toBe(request_id); // the same response the completion came from
    expect(data.model).toBe('eco-mini');
  });

  it('asResponse() resolves to the raw Response', async () => {
    const client = fleet.client();

    const response = await client.chat.completions.create({ model: 'economy', messages: ask() }).asResponse();

    expect(response.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('give a cached answer a 200 made from it, marked x-tiered-llm-cache: hit', async () => {
    const client = fleet.client({ cache: {} });
    await client.chat.completions.create({ model: 'economy', messages: ask() });

    const { data, response, request_id } = await client.chat.completions.create({ model: 'economy', messages: ask() }).withResponse();

    expect(response.headers.get('x-tiered-llm-cache')).toBe('hit');
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(data)));
    expect(request_id).toBeNull();
  });

  it('give a stream the response of the deployment that streams it', async () => {
    const client = fleet.client();

    const { data: stream, response } = await client.chat.completions
      .create({ model: 'economy', messages: ask(), stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';

    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(text).not.toBe('');
  });

  it('reject only the promise the caller awaits: a failed call read through withResponse() leaves no unhandled rejection', async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    for (const mock of fleet.mocks) mock.setReply('eco-mini', { status: 500 });
    for (const mock of fleet.mocks) mock.setReply('warm-std', { status: 500 });
    for (const mock of fleet.mocks) mock.setReply('hot-max', { status: 500 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(client.chat.completions.create({ model: 'economy', messages: ask() }).withResponse()).rejects.toThrow(
        /every deployment failed/,
      );
      await expect(client.chat.completions.create({ model: 'economy', messages: ask() }).asResponse()).rejects.toThrow(
        /every deployment failed/,
      );
      // Unhandled rejections are reported after the microtasks of a macrotask: give them one.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('make plain promises of then(), so that only the promise create() returned carries them', async () => {
    const client = fleet.client();

    const chained = client.chat.completions.create({ model: 'economy', messages: ask() }).then((c) => c.id);

    expect('withResponse' in chained).toBe(false);
    await chained;
  });
});

describe("an application's own openai client", () => {
  it('is held to the time limit of each attempt, its request cut off, like the clients tiered-llm makes', async () => {
    const mock = await startMockOpenAI({ models: { solo: { fault: 'hang' } } });
    useFakeClock();
    try {
      const catalog = defineCatalog({
        providers: { mine: { client: new OpenAI({ apiKey: 'sk-own-client-key-1234', baseURL: mock.url }) } },
        tiers: ['only'],
        models: [{ id: 'solo', provider: 'mine', tier: 'only', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8_000 }],
      });
      const client = createTieredClient({ catalog, retry: { retries: 0 }, timeouts: { requestMs: 50 } });

      const call = client.chat.completions.create({ model: 'only', messages: ask() }).catch((e: unknown) => e);
      await mock.waitForRequests(1);
      await advance(50);
      const error = await call;
      await client.close();

      expect(AllModelsFailedError.isInstance(error) && error.attempts.map((a) => a.errorCode)).toEqual(['timeout']);
      await expect(mock.requests[0]!.settled).resolves.toBe('closed-early');
    } finally {
      await mock.close();
    }
  });
});

describe('client.tieredChat()', () => {
  it('returns the completion with the model, tier, cost, usage, latency and audit trail', async () => {
    useFakeClock();
    const client = fleet.client();
    fleet.primary.setReply('warm-std', {
      content: 'Bonjour.',
      usage: { promptTokens: 1_000, completionTokens: 500, cachedTokens: 400 },
      latencyMs: 25,
    });

    const call = client.tieredChat({ model: 'warm', messages: ask('Say hello in French.') });
    await fleet.primary.waitForRequests(1);
    await advance(25);
    const result = await call;

    expect(result).toMatchObject({
      text: 'Bonjour.',
      model: 'warm-std',
      provider: 'primary',
      tier: 'warm',
      cached: false,
      usage: { inputTokens: 1_000, outputTokens: 500, cachedInputTokens: 400 },
      usageEstimated: false,
      attempts: [{ model: 'warm-std', provider: 'primary', tier: 'warm', outcome: 'ok' }],
    });
    // 600 fresh prompt tokens at $1, 400 cached at $0.25, 500 completion tokens at $4 per million.
    expect(result.costUsd).toBeCloseTo((600 * 1 + 400 * 0.25 + 500 * 4) / 1e6, 12);
    expect(result.completion.choices[0]?.message.content).toBe('Bonjour.');
    expect(result.latencyMs).toBe(25); // the provider's 25 ms, on the fake clock
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('estimates usage when the provider reports none, and says so', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: 'abcdefgh', usage: null });

    const result = await client.tieredChat({ model: 'economy', messages: ask('1234567890123456') });

    expect(result.usageEstimated).toBe(true);
    expect(result.usage.outputTokens).toBe(2);
    expect(result.usage.inputTokens).toBeGreaterThanOrEqual(4);
    expect(result.costUsd).toBeGreaterThan(0);
  });
});

describe('configure() and the top-level tieredChat()', () => {
  it('answer through the default client', async () => {
    configure({ catalog: fleet.catalog, retry: { minTimeoutMs: 1, maxTimeoutMs: 1 } });

    const result = await tieredChat({ model: 'hot', messages: ask() });

    expect(result.model).toBe('hot-max');
    await configure({ catalog: fleet.catalog }).close();
  });
});

describe('client.close()', () => {
  it('lets a call in flight finish, and reports every breaker closed', async () => {
    useFakeClock();
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { latencyMs: 30 });

    const call = client.tieredChat({ model: 'economy', messages: ask() });
    await fleet.primary.waitForRequests(1);
    const closing = client.close();
    await advance(30); // the answer arrives after close() was called
    await closing;

    await expect(call).resolves.toMatchObject({ provider: 'primary' });
    expect(client.health().every((h) => h.breaker === 'closed')).toBe(true);
  });

  it('refuses new calls with CLIENT_CLOSED and makes no request', async () => {
    const client = fleet.client();
    await client.close();

    const call = client.chat.completions.create({ model: 'economy', messages: ask() });

    await expect(call).rejects.toSatisfy(ClientClosedError.isInstance);
    await expect(call).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(fleet.primary.requests).toHaveLength(0);
  });
});
