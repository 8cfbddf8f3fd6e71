import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createTieredClient, defineCatalog, type KeyedProviderConfig, type TieredClientOptions } from '../src/index.js';
import { startMockOpenAI, type MockOpenAI, type MockReply } from '../src/testing/index.js';

// The provider option `connections`: one keep-alive pool per provider (an undici Agent), watched from
// the mock's side of the sockets. Whether undici is loaded at all is undiciPeer.test.ts's.
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

const messages = [{ role: 'user' as const, content: 'hi' }];

/** A mock provider and a client on it whose provider has `connections` (and `provider`'s other fields). */
async function pooled(provider: Partial<KeyedProviderConfig> = {}, reply: MockReply = {}, options: Partial<TieredClientOptions> = {}) {
  const mock = await startMockOpenAI({ defaultReply: reply });
  const catalog = defineCatalog({
    providers: { local: { apiKey: 'sk-test-connections', baseURL: mock.url, ...provider } },
    tiers: ['economy'],
    models: [
      { id: 'mini', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8000 },
      { id: 'embed', provider: 'local', tier: 'economy', inputCostPerMTok: 1, contextWindow: 8000, capabilities: ['embeddings'] },
    ],
  });
  const client = createTieredClient({ catalog, retry: { minTimeoutMs: 0, maxTimeoutMs: 0 }, ...options });
  opened.push(client, mock);
  return { mock, client };
}

const ports = (mock: MockOpenAI) => new Set(mock.requests.map((request) => request.remotePort));

describe('a provider with connections', () => {
  it('sends 10 concurrent calls over at most max: 2 sockets, and answers every one', async () => {
    // Each answer is held, so the calls overlap: without a cap each would open a socket of its own.
    const { mock, client } = await pooled({ connections: { max: 2 } }, { latencyMs: 20 });

    const answers = await Promise.all(Array.from({ length: 10 }, () => client.chat.completions.create({ model: 'economy', messages })));

    expect(answers.map((answer) => answer.object)).toEqual(Array(10).fill('chat.completion'));
    expect(mock.requests).toHaveLength(10);
    expect(mock.connections.peak).toBeLessThanOrEqual(2);
    expect(ports(mock).size).toBeLessThanOrEqual(2);
  });

  it('keeps its connection alive between sequential calls', async () => {
    // One socket at most: without keep-alive each call would need a new one.
    const { mock, client } = await pooled({ connections: { keepAliveMs: 30_000, max: 1 } });

    for (let i = 0; i < 5; i++) await client.chat.completions.create({ model: 'economy', messages });

    expect(mock.connections.total).toBe(1);
    expect(ports(mock).size).toBe(1);
  });

  it('serves streams, embeddings and the resources not routed through the same pool', async () => {
    const { mock, client } = await pooled({ connections: { max: 1 } });

    const stream = await client.chat.completions.create({ model: 'economy', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    await client.embeddings.create({ model: 'embed', input: 'hello' });
    await client.models.list();

    expect(text).toBe('Hello from mini.');
    expect(mock.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/embeddings', '/v1/models']);
    expect(mock.connections.total).toBe(1);
  });

  it('still refuses a redirect to another origin', async () => {
    const elsewhere = await startMockOpenAI();
    opened.push(elsewhere);
    const { client } = await pooled(
      { connections: { max: 2 } },
      { status: 307, headers: { location: `${elsewhere.url}/chat/completions` } },
    );

    const error = await client.tieredChat({ model: 'economy', messages }).catch((e: unknown) => e);

    expect((error as { attempts: { errorCode?: string }[] }).attempts.map((a) => a.errorCode)).toEqual(['redirect_blocked']);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("cuts the caller's aborted request off: the mock sees its connection closed early", async () => {
    const { mock, client } = await pooled({ connections: { max: 2 } }, { fault: 'hang' });
    const controller = new AbortController();

    const call = client.chat.completions.create({ model: 'economy', messages }, { signal: controller.signal }).catch((e: unknown) => e);
    await mock.waitForRequests(1);
    controller.abort();

    expect(await call).toBeInstanceOf(Error);
    expect(await mock.requests[0]!.settled).toBe('closed-early');
  });
});

describe('close() with connections', () => {
  it('closes the idle connections of the pool', async () => {
    const { mock, client } = await pooled({ connections: { keepAliveMs: 30_000, max: 2 } }, { latencyMs: 5 });
    await Promise.all([1, 2].map(() => client.chat.completions.create({ model: 'economy', messages })));
    expect(mock.connections.open).toBe(2);

    await client.close();

    await expect.poll(() => mock.connections.open).toBe(0);
  });

  it('lets a stream in flight run on, without waiting for it', async () => {
    const { mock, client } = await pooled({ connections: { keepAliveMs: 30_000 } }, { content: 'one two three', hangAfterChunks: 1 });
    const stream = await client.chat.completions.create({ model: 'economy', messages, stream: true });

    await client.close();

    expect(mock.connections.open).toBe(1);
    expect(mock.requests[0]!.closedEarly).toBe(false);
    stream.controller.abort();
    await expect.poll(() => mock.connections.open).toBe(0);
  });

  it('lets a call in flight retry after it, on a connection of its own that does not stay open', async () => {
    const { mock, client } = await pooled({ connections: { keepAliveMs: 30_000, max: 1 } });
    mock.enqueue('mini', { status: 503, latencyMs: 20 });

    const call = client.tieredChat({ model: 'economy', messages });
    await mock.waitForRequests(1);
    await client.close();
    const result = await call;

    expect(result.attempts.map((a) => a.errorCode ?? a.outcome)).toEqual(['server_error', 'ok']);
    expect(ports(mock).size).toBe(2);
    await expect.poll(() => mock.connections.open).toBe(0);
  });
});

describe('the connections option', () => {
  const catalogWith = (provider: object) => () =>
    defineCatalog({
      providers: { openai: provider as KeyedProviderConfig },
      tiers: ['economy'],
      models: [{ id: 'mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8000 }],
    });

  it.each([
    ['max: 0', { max: 0 }, 'providers.openai.connections.max'],
    ['max: 1.5', { max: 1.5 }, 'providers.openai.connections.max'],
    ["max: '2'", { max: '2' }, 'providers.openai.connections.max'],
    ['keepAliveMs: -1', { keepAliveMs: -1 }, 'providers.openai.connections.keepAliveMs'],
    ['keepAliveMs: Infinity', { keepAliveMs: Infinity }, 'providers.openai.connections.keepAliveMs'],
    ['a misspelt key', { maxSockets: 4 }, 'providers.openai.connections.maxSockets'],
    ['not an object', 8, 'providers.openai.connections'],
  ])('refuses %s with a ConfigError naming the field', (_, connections, field) => {
    expect(catalogWith({ apiKey: 'sk-test', connections })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field }));
  });

  it('is refused beside a client the application made, which keeps its own connections', () => {
    const error = (() => {
      try {
        catalogWith({ client: new OpenAI({ apiKey: 'sk-test' }), connections: { max: 2 } })();
      } catch (e) {
        return e;
      }
    })();

    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field: 'providers.openai.connections' });
    expect((error as ConfigError).hint).toMatch(/dispatcher/);
  });
});
