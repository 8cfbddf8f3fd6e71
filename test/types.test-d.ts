import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createTieredClient,
  defineCatalog,
  type ModelId,
  type ModelTier,
  type TieredChatResult,
  type TieredStream,
  type WithResponse,
} from '../src/index.js';

const catalog = defineCatalog({
  providers: { openai: { apiKey: 'sk-test' } },
  tiers: ['economy', 'hot'],
  models: [
    { id: 'gpt-4o-mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
    { id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
  ],
});
const client = createTieredClient({ catalog });

describe('types', () => {
  it('infer tier names and model ids from a literal catalog', () => {
    expectTypeOf<ModelTier<typeof catalog>>().toEqualTypeOf<'economy' | 'hot'>();
    expectTypeOf<ModelId<typeof catalog>>().toEqualTypeOf<'gpt-4o-mini' | 'gpt-4o'>();
  });

  it('make a misspelt tier a type error', () => {
    // @ts-expect-error 'hott' is not a tier
    void client.chat.completions.create({ model: 'hott', messages: [] });
    void client.chat.completions.create({ model: 'hot', messages: [] });
    void client.chat.completions.create({ model: 'gpt-4o', messages: [] });
    void client.chat.completions.create({ model: 'auto', messages: [] });
  });

  it('reject a model in a tier the catalog does not list', () => {
    defineCatalog({
      providers: { openai: { apiKey: 'k' } },
      tiers: ['hot'],
      // @ts-expect-error 'warm' is not in tiers
      models: [{ id: 'm', provider: 'openai', tier: 'warm', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1 }],
    });
  });

  it('let only an embedding model leave out its output price, and list nothing beside embeddings', () => {
    defineCatalog({
      providers: { openai: { apiKey: 'k' } },
      tiers: ['hot'],
      models: [
        { id: 'chat', provider: 'openai', tier: 'hot', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1 },
        { id: 'embed', provider: 'openai', tier: 'hot', inputCostPerMTok: 1, contextWindow: 1, capabilities: ['embeddings'] },
      ],
    });
    defineCatalog({
      providers: { openai: { apiKey: 'k' } },
      tiers: ['hot'],
      // @ts-expect-error a chat model needs its output price
      models: [{ id: 'chat', provider: 'openai', tier: 'hot', inputCostPerMTok: 1, contextWindow: 1 }],
    });
    defineCatalog({
      providers: { openai: { apiKey: 'k' } },
      tiers: ['hot'],
      // @ts-expect-error an embedding model serves embeddings only
      models: [{ id: 'e', provider: 'openai', tier: 'hot', inputCostPerMTok: 1, contextWindow: 1, capabilities: ['embeddings', 'tools'] }],
    });
  });

  it('reject a model of an unknown provider', () => {
    defineCatalog({
      providers: { openai: { apiKey: 'k' } },
      tiers: ['hot'],
      // @ts-expect-error 'azure' is not a provider
      models: [{ id: 'm', provider: 'azure', tier: 'hot', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1 }],
    });
  });

  it('keep tier names and model ids literal when one field of the catalog is wrong', () => {
    const flawed = defineCatalog({
      providers: { openai: { apiKey: 'k' } },
      tiers: ['economy', 'hot'],
      models: [
        // @ts-expect-error a price is a number, not a string: this field, and only it, is the error
        { id: 'mini', provider: 'openai', tier: 'economy', inputCostPerMTok: '1', outputCostPerMTok: 1, contextWindow: 1 },
        { id: 'big', provider: 'openai', tier: 'hot', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1 },
      ],
    });
    const flawedClient = createTieredClient({ catalog: flawed });

    expectTypeOf<ModelTier<typeof flawed>>().toEqualTypeOf<'economy' | 'hot'>();
    expectTypeOf<ModelId<typeof flawed>>().toEqualTypeOf<'mini' | 'big'>();
    // @ts-expect-error 'hott' is not a tier, even in a catalog with a bad field
    void flawedClient.chat.completions.create({ model: 'hott', messages: [] });
    void flawedClient.chat.completions.create({ model: 'big', messages: [] });
  });

  it('keep tier names and model ids literal when a model names an unknown tier', () => {
    const flawed = defineCatalog({
      providers: { openai: { apiKey: 'k' } },
      tiers: ['economy', 'hot'],
      models: [
        { id: 'mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1 },
        // @ts-expect-error 'warm' is not in tiers
        { id: 'big', provider: 'openai', tier: 'warm', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1 },
      ],
    });

    expectTypeOf<ModelTier<typeof flawed>>().toEqualTypeOf<'economy' | 'hot'>();
    expectTypeOf<ModelId<typeof flawed>>().toEqualTypeOf<'mini' | 'big'>();
    // @ts-expect-error 'hott' is not a tier
    void createTieredClient({ catalog: flawed }).chat.completions.create({ model: 'hott', messages: [] });
  });

  it('type fallback maps by tier name', () => {
    createTieredClient({ catalog, fallback: { economy: ['hot'] } });
    // @ts-expect-error 'warm' is not a tier
    createTieredClient({ catalog, fallback: { economy: ['warm'] } });
  });

  it("type a call's own fallback by tier name, and take provider names as strings", () => {
    void client.tieredChat({ model: 'economy', messages: [] }, { fallback: ['hot'], providers: { only: ['openai'], order: ['openai'] } });
    const provider: string = 'openai';
    void client.chat.completions.create({ model: 'gpt-4o', messages: [] }, { fallback: 'none', providers: { only: [provider] } });
    // @ts-expect-error 'warm' is not a tier
    void client.tieredChat({ model: 'economy', messages: [] }, { fallback: ['warm'] });
    // @ts-expect-error 'up' is not a fallback
    void client.tieredChat({ model: 'economy', messages: [] }, { fallback: 'up' });
  });

  it('return what openai returns from create(), and the routing result from tieredChat()', () => {
    // As openai's own create(): the completion, with the provider's request id.
    expectTypeOf(client.chat.completions.create({ model: 'hot', messages: [] })).resolves.toEqualTypeOf<
      ChatCompletion & { _request_id?: string | null }
    >();
    expectTypeOf(client.tieredChat({ model: 'hot', messages: [] })).resolves.toEqualTypeOf<TieredChatResult>();
  });

  it("offer openai's withResponse() and asResponse() on what create() returns", () => {
    const call = client.chat.completions.create({ model: 'hot', messages: [] });
    expectTypeOf(call.withResponse()).resolves.toEqualTypeOf<WithResponse<ChatCompletion>>();
    expectTypeOf(call.withResponse()).resolves.toMatchTypeOf<{ data: ChatCompletion; response: Response; request_id: string | null }>();
    expectTypeOf(call.asResponse()).resolves.toEqualTypeOf<Response>();
    expectTypeOf(client.chat.completions.create({ model: 'hot', messages: [], stream: true }).withResponse()).resolves.toEqualTypeOf<
      WithResponse<TieredStream>
    >();
  });

  it('type feedback: a boolean back, thumbs up or down only', () => {
    expectTypeOf(client.feedback('id', { thumbs: 'up', label: 'tone' })).toEqualTypeOf<boolean>();
    // @ts-expect-error a thumb is 'up' or 'down'
    client.feedback('id', { thumbs: 'sideways' });
    // @ts-expect-error a score is a number
    client.feedback('id', { score: '0.5' });
  });

  it('accept a catalog built at run time, with plain strings for tiers and ids', () => {
    const loaded: {
      providers: Record<string, { apiKey: string }>;
      tiers: string[];
      models: { id: string; provider: string; tier: string; inputCostPerMTok: number; outputCostPerMTok: number; contextWindow: number }[];
    } = JSON.parse('{}');
    const runtimeCatalog = defineCatalog(loaded);
    const dynamic = createTieredClient({ catalog: runtimeCatalog });
    expectTypeOf<ModelTier<typeof runtimeCatalog>>().toEqualTypeOf<string>();
    void dynamic.chat.completions.create({ model: 'any-string-goes', messages: [] });
  });

  it('type create({ stream: true }) as a TieredStream of chunks and tieredChat({ stream: true }) as one at once', () => {
    expectTypeOf(client.chat.completions.create({ model: 'hot', messages: [], stream: true })).resolves.toEqualTypeOf<
      TieredStream & { _request_id?: string | null }
    >();
    expectTypeOf(client.tieredChat({ model: 'hot', messages: [], stream: true })).toEqualTypeOf<TieredStream>();
    expectTypeOf<TieredStream>().toMatchTypeOf<AsyncIterable<ChatCompletionChunk>>();
    expectTypeOf(client.tieredChat({ model: 'hot', messages: [], stream: true }).final()).resolves.toEqualTypeOf<TieredChatResult>();
  });
});
