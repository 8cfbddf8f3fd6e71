import { describe, expect, it } from 'vitest';
import { AllModelsFailedError, BudgetExceededError, ConfigError, createTieredClient, defineCatalog } from '../src/index.js';
import { embedSmall, keys, names, recordEvents, useFleet } from './fleet.js';
import { startRawProvider } from './support/rawProvider.js';

const fleet = useFleet({ embeddings: true });

/** The fleet's embedding model served by both providers, and a second, different embedding model in the same tier. */
async function twoRegions() {
  const catalog = defineCatalog({
    providers: {
      primary: { apiKey: keys.primary, baseURL: fleet.primary.url },
      secondary: { apiKey: keys.secondary, baseURL: fleet.secondary.url },
    },
    tiers: ['economy', 'vectors'],
    models: [
      { id: 'eco-mini', provider: 'primary', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      { ...embedSmall, tier: 'vectors' },
      { ...embedSmall, tier: 'vectors', provider: 'secondary' },
      {
        id: 'embed-large',
        provider: 'primary',
        tier: 'vectors',
        inputCostPerMTok: 0.13,
        contextWindow: 8_191,
        capabilities: ['embeddings'],
      },
    ],
  });
  const client = createTieredClient({ catalog, retry: { retries: 0, minTimeoutMs: 0, maxTimeoutMs: 0 } });
  return client;
}

describe('client.embeddings.create()', () => {
  it('answers with the same vectors the raw openai client gets, floats by default', async () => {
    const client = fleet.client();

    const response = await client.embeddings.create({ model: 'embed-small', input: 'The food was delicious.' });

    expect(response.object).toBe('list');
    expect(response.data[0]?.embedding).toHaveLength(256);
    expect(typeof response.data[0]?.embedding[0]).toBe('number');
    expect(fleet.primary.requests[0]).toMatchObject({ path: '/v1/embeddings', model: 'embed-small' });
  });

  it('prices the call from usage.prompt_tokens at the model input price, with operation embeddings on its events', async () => {
    const client = fleet.client();
    const events = recordEvents(client);
    fleet.primary.setReply('embed-small', { usage: { promptTokens: 1_000 } });

    await client.embeddings.create({ model: 'embed-small', input: ['one', 'two'] });

    const end = events.find((e) => e.name === 'request:end');
    expect(end?.payload).toMatchObject({ operation: 'embeddings', model: 'embed-small', costUsd: 0.00002 });
    expect(
      events.filter((e) => 'operation' in e.payload).every((e) => (e.payload as { operation: string }).operation === 'embeddings'),
    ).toBe(true);
    expect(client.metrics().byOperation.embeddings).toMatchObject({ requests: 1, costUsd: 0.00002, inputTokens: 1_000 });
  });

  it('estimates, not prices at Infinity, a usage whose prompt_tokens is no count', async () => {
    const body = JSON.stringify({
      object: 'list',
      model: 'embed-small',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
      usage: { prompt_tokens: 1.8e303, total_tokens: 1.8e303 },
    });
    const raw = await startRawProvider([{ body }]);
    const catalog = defineCatalog({
      providers: { raw: { apiKey: keys.primary, baseURL: raw.url } },
      tiers: ['economy'],
      models: [
        { id: 'eco-mini', provider: 'raw', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
        { ...embedSmall, provider: 'raw' },
      ],
    });
    const client = createTieredClient({ catalog });
    const events = recordEvents(client);
    try {
      await client.embeddings.create({ model: 'embed-small', input: 'one two three' });
    } finally {
      await client.close();
      await raw.close();
    }

    const end = events.find((e) => e.name === 'request:end')?.payload as { usageEstimated: boolean; costUsd: number };
    expect(end.usageEstimated).toBe(true);
    expect(Number.isFinite(end.costUsd)).toBe(true);
  });

  it('claims no savings against the chat baseline model and stays out of the chat cost report', async () => {
    const client = fleet.client();
    fleet.primary.setReply('embed-small', { usage: { promptTokens: 1_000_000 } });

    await client.embeddings.create({ model: 'embed-small', input: 'one' });

    // No chat model could have answered it: pricing its tokens on one invents a saving.
    expect(client.metrics().total).toMatchObject({ costUsd: 0.02, savedVsBaselineUsd: 0 });
    expect(client.costReport()).toMatchObject({ calls: 0, usage: { inputTokens: 0, outputTokens: 0 } });
  });

  it('falls back to another deployment of the same model id when one fails', async () => {
    const client = await twoRegions();
    const events = recordEvents(client);
    fleet.primary.setReply('embed-small', { status: 503 });

    const response = await client.embeddings.create({ model: 'vectors', input: 'hello' });

    expect(response.data).toHaveLength(1);
    expect(fleet.secondary.requestsFor('embed-small')).toHaveLength(1);
    expect(names(events)).toContain('fallback');
    await client.close();
  });

  it('never answers with another embedding model: when every deployment of the model fails, the call fails', async () => {
    const client = await twoRegions();
    fleet.primary.setReply('embed-small', { status: 503 });
    fleet.secondary.setReply('embed-small', { status: 503 });

    const error = await client.embeddings.create({ model: 'vectors', input: 'hello' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect(fleet.primary.requestsFor('embed-large')).toHaveLength(0);
    await client.close();
  });

  it('serves an identical request from the cache', async () => {
    const client = fleet.client({ cache: {} });
    const events = recordEvents(client);

    const first = await client.embeddings.create({ model: 'embed-small', input: 'cache me' });
    const second = await client.embeddings.create({ model: 'embed-small', input: 'cache me' });

    expect(second.data).toEqual(first.data);
    expect(fleet.primary.requestsFor('embed-small')).toHaveLength(1);
    expect(names(events)).toContain('cache:hit');
  });

  it('counts against the budget: a call that would pass the limit is refused before any request', async () => {
    const client = fleet.client({ budget: { limitUsd: 1e-9, windowMs: 60_000, onExceeded: 'reject' } });

    const error = await client.embeddings.create({ model: 'embed-small', input: 'x'.repeat(4_000) }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(fleet.primary.requests).toHaveLength(0);
  });

  it("over the budget with onExceeded 'downgrade', is refused: no cheaper model answers in the same vector space", async () => {
    const client = fleet.client({ budget: { limitUsd: 1e-9, windowMs: 60_000, onExceeded: 'downgrade' } });

    const error = await client.embeddings.create({ model: 'embed-small', input: 'x'.repeat(4_000) }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(fleet.primary.requests).toHaveLength(0);
    expect(fleet.secondary.requests).toHaveLength(0);
  });

  it('refuses a chat model or a tier without embedding models, naming what the catalog has', async () => {
    const client = fleet.client();

    const error = await client.embeddings.create({ model: 'warm', input: 'hi' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      message: expect.stringContaining("'warm'") as string,
      hint: expect.stringContaining('embed-small') as string,
    });
    expect(fleet.primary.requests).toHaveLength(0);
  });

  it("with unknownModels: 'passthrough', still refuses a chat tier or chat model of the catalog instead of sending its name upstream", async () => {
    const client = fleet.client({ unknownModels: 'passthrough' });

    for (const model of ['warm', 'hot-max']) {
      const error = await client.embeddings.create({ model, input: 'hi' }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ message: expect.stringContaining(`'${model}'`) as string });
    }
    expect([...fleet.primary.requests, ...fleet.secondary.requests]).toHaveLength(0);
  });

  it("with unknownModels: 'passthrough', sends an embedding model the catalog does not know to the default provider", async () => {
    const client = fleet.client({ unknownModels: 'passthrough', defaultProvider: 'secondary' });
    const model: string = 'embed-unknown';

    const response = await client.embeddings.create({ model, input: 'hi' });

    expect(response.data).toHaveLength(1);
    expect(fleet.secondary.requests.map((r) => [r.path, r.model])).toEqual([['/v1/embeddings', 'embed-unknown']]);
  });

  it("refuses 'auto', which routes chat only, naming the embedding models there are", async () => {
    const error = await fleet
      .client()
      .embeddings.create({ model: 'auto', input: 'hi' })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ message: "model: 'auto' routes chat completions only (this request wants an embedding model)" });
    expect(error).toMatchObject({ hint: expect.stringContaining('embed-small') as string });
  });

  it('refuses an empty input before any request', async () => {
    const client = fleet.client();

    const error = await client.embeddings.create({ model: 'embed-small', input: [] }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'params.input' });
    expect(fleet.primary.requests).toHaveLength(0);
  });

  it('is refused by a chat call naming an embedding model, as before', async () => {
    const client = fleet.client();

    const error = await client.chat.completions
      .create({ model: 'embed-small', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
  });
});
