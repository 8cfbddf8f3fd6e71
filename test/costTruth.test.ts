import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AllModelsFailedError,
  createTieredClient,
  defineCatalog,
  MemoryBudgetStore,
  type RequestEndEvent,
  type RequestErrorEvent,
} from '../src/index.js';
import { startMockOpenAI } from '../src/testing/index.js';
import { ask, recordEvents, useFleet, type Recorded } from './fleet.js';

const fleet = useFleet({ embeddings: true });
afterEach(() => vi.useRealTimers());

const endOf = (events: Recorded[]) => events.findLast((e) => e.name === 'request:end')?.payload as RequestEndEvent;

/*
 * Prices of the fleet: eco-mini $0.1/$0.4, warm-std $1/$4, embed-small $0.02 per million tokens.
 * Each scripted usage below makes a round number of micro-dollars, written out in the comments.
 */
const gradedWarm = { content: 'warm', usage: { promptTokens: 120, completionTokens: 1 } }; // 12 + 0.4 = $0.0000124
const warmAnswer = { usage: { promptTokens: 30, completionTokens: 10 } }; // 30 + 40 = $0.00007
const embedding = { usage: { promptTokens: 50 } }; // 50 x 0.02 = $0.000001

describe('a call routed by the classifier', () => {
  it('costs its answer plus the classifier call, exactly, in its result and its request:end', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', gradedWarm);
    fleet.primary.setReply('warm-std', warmAnswer);

    const result = await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    expect(result.tier).toBe('warm');
    expect(result.costUsd).toBe(0.0000824);
    expect(endOf(events)).toMatchObject({
      costUsd: 0.0000824,
      costBreakdown: { answerUsd: 0.00007, routingUsd: 0.0000124, embeddingUsd: 0 },
    });
  });

  it('streamed, costs the same: its answer plus the classifier call', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', gradedWarm);
    fleet.primary.setReply('warm-std', warmAnswer);

    const result = await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.'), stream: true }).final();

    expect(result.costUsd).toBe(0.0000824);
    expect(endOf(events).costBreakdown).toEqual({ answerUsd: 0.00007, routingUsd: 0.0000124, embeddingUsd: 0 });
  });

  it('costs only its answer when the classifier remembered the grade', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', gradedWarm);
    fleet.primary.setReply('warm-std', warmAnswer);
    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    const again = await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    expect(again.costUsd).toBe(0.00007);
    expect(endOf(events).costBreakdown).toEqual({ answerUsd: 0.00007, routingUsd: 0, embeddingUsd: 0 });
  });

  it('pays for a classifier answer that named no tier: what it reported is priced', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', { content: 'No idea, sorry.', usage: { promptTokens: 100, completionTokens: 5 } }); // 10 + 2 = $0.000012
    fleet.primary.enqueue('eco-mini', { usage: { promptTokens: 10, completionTokens: 10 } }); // the answer: 1 + 4 = $0.000005

    const result = await client.tieredChat({ model: 'auto', messages: ask('Hi!') });

    expect(result.tier).toBe('economy'); // the heuristic decided
    expect(result.costUsd).toBe(0.000017);
    expect(endOf(events).costBreakdown).toEqual({ answerUsd: 0.000005, routingUsd: 0.000012, embeddingUsd: 0 });
  });

  it('that then fails still reports the classifier call in request:error', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' }, fallback: 'none', retry: { retries: 0 } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', gradedWarm);
    fleet.primary.setReply('warm-std', { status: 500 });

    await expect(client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') })).rejects.toBeInstanceOf(AllModelsFailedError);

    expect((events.find((e) => e.name === 'request:error')?.payload as RequestErrorEvent).costUsd).toBe(0.0000124);
  });
});

describe('a call with the semantic cache', () => {
  const semantic = () => fleet.client({ cache: { semantic: { embeddingModel: 'embed-small', threshold: 0.9 } } });

  it('costs its answer plus its embedding on a miss; a semantic hit costs the embedding that found it; an exact hit costs 0', async () => {
    const client = semantic();
    const events = recordEvents(client);
    fleet.primary.setReply('embed-small', embedding);
    fleet.primary.setReply('eco-mini', { content: 'Paris.', usage: { promptTokens: 10, completionTokens: 10 } }); // $0.000005

    const miss = await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });
    const missEnd = endOf(events);
    const similar = await client.tieredChat({ model: 'economy', messages: ask("what's the capital of france") });
    const similarEnd = endOf(events);
    const exact = await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    expect([miss.costUsd, similar.costUsd, exact.costUsd]).toEqual([0.000006, 0.000001, 0]);
    expect(similar).toMatchObject({ cached: true, savedUsd: 0.000005 });
    expect(missEnd.costBreakdown).toEqual({ answerUsd: 0.000005, routingUsd: 0, embeddingUsd: 0.000001 });
    expect(similarEnd.costBreakdown).toEqual({ answerUsd: 0, routingUsd: 0, embeddingUsd: 0.000001 });
    expect(endOf(events)).toMatchObject({ costUsd: 0, costBreakdown: { answerUsd: 0, routingUsd: 0, embeddingUsd: 0 } });
  });

  it('prices an embedding whose response reported no usage from its text', async () => {
    const client = semantic();
    fleet.primary.setReply('embed-small', { usage: null });
    const text = 'What is the capital of France?';

    const result = await client.tieredChat({ model: 'economy', messages: ask(text) });
    const answer = await fleet.client().tieredChat({ model: 'economy', messages: ask(text) });

    // The text embedded is 'user: <text>\n': 37 characters, about 10 tokens at $0.02 per million.
    expect(result.costUsd).toBe(answer.costUsd + 0.0000002);
  });
});

describe('metrics', () => {
  it('count the classifier and the embedding model under their own models, and the total is every call cost', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' }, cache: { semantic: { embeddingModel: 'embed-small' } } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', gradedWarm);
    fleet.primary.setReply('warm-std', warmAnswer);
    fleet.primary.setReply('embed-small', embedding);

    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    const { byModel, byDeployment, total } = client.metrics();
    expect(byModel['warm-std']).toMatchObject({ requests: 1, costUsd: 0.00007, inputTokens: 30, outputTokens: 10 });
    expect(byModel['eco-mini']).toMatchObject({ requests: 0, costUsd: 0.0000124, inputTokens: 120, outputTokens: 1 });
    expect(byModel['embed-small']).toMatchObject({ requests: 0, costUsd: 0.000001, inputTokens: 50, outputTokens: 0 });
    expect(byDeployment['primary/embed-small']?.costUsd).toBe(0.000001);
    expect(total.costUsd).toBe(endOf(events).costUsd);
    expect(total.costUsd).toBe(0.0000834);
  });

  it("price the classifier under byOperation.chat and the semantic cache's embedding under embeddings (no request), adding up to the total", async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' }, cache: { semantic: { embeddingModel: 'embed-small' } } });
    fleet.primary.enqueue('eco-mini', gradedWarm);
    fleet.primary.setReply('warm-std', warmAnswer);
    fleet.primary.setReply('embed-small', embedding);

    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    const { byOperation, total } = client.metrics();
    expect(byOperation.chat).toMatchObject({ requests: 1, costUsd: 0.0000824, inputTokens: 150, outputTokens: 11 });
    expect(byOperation.embeddings).toMatchObject({ requests: 0, costUsd: 0.000001, inputTokens: 50, outputTokens: 0 });
    expect(byOperation.responses).toBeUndefined();
    expect(total.costUsd).toBe(0.0000834);
  });
});

describe('the budget', () => {
  const windowMs = 3_600_000;

  it('settles a classifier-routed call at its answer plus its classifier call', async () => {
    const store = new MemoryBudgetStore();
    const client = fleet.client({ classifier: { model: 'eco-mini' }, budget: { limitUsd: 1, windowMs, store } });
    fleet.primary.enqueue('eco-mini', gradedWarm);
    fleet.primary.setReply('warm-std', warmAnswer);

    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    expect(store.spent('global', windowMs)).toBe(0.0000824);
  });

  it('counts the embedding of a semantic hit after the fact, though it reserved nothing', async () => {
    const store = new MemoryBudgetStore();
    const client = fleet.client({
      cache: { semantic: { embeddingModel: 'embed-small', threshold: 0.9 } },
      budget: { limitUsd: 1, windowMs, store },
    });
    fleet.primary.setReply('embed-small', embedding);
    fleet.primary.setReply('eco-mini', { usage: { promptTokens: 10, completionTokens: 10 } });
    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });
    const afterMiss = store.spent('global', windowMs);

    const similar = await client.tieredChat({ model: 'economy', messages: ask("what's the capital of france") });

    expect(similar.cached).toBe(true);
    expect([afterMiss, store.spent('global', windowMs)]).toEqual([0.000006, 0.000007]);
  });

  it('counts the embedding of a semantic hit once when its stream is given up during the replay', async () => {
    const store = new MemoryBudgetStore();
    const client = fleet.client({
      cache: { semantic: { embeddingModel: 'embed-small', threshold: 0.9 } },
      budget: { limitUsd: 1, windowMs, store },
    });
    const events = recordEvents(client);
    fleet.primary.setReply('embed-small', embedding);
    fleet.primary.setReply('eco-mini', { content: 'Paris is the capital of France.', usage: { promptTokens: 10, completionTokens: 10 } });
    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    const similar = client.tieredChat({ model: 'economy', messages: ask("what's the capital of france"), stream: true });
    for await (const _ of similar) break;

    expect(events.at(-1)).toMatchObject({ name: 'request:error', payload: { costUsd: 0.000001 } });
    expect(store.spent('global', windowMs)).toBe(0.000007);
  });
});

describe('an embedding model in the catalog', () => {
  async function catalogWithEmbeddings() {
    const mock = await startMockOpenAI();
    const catalog = defineCatalog({
      providers: { p: { apiKey: 'sk-test-embeddings', baseURL: mock.url } },
      tiers: ['economy', 'hot', 'vectors'],
      models: [
        // Listed first in the cheapest tier, and alone in the last tier: chat must skip it everywhere.
        { id: 'embed-a', provider: 'p', tier: 'economy', inputCostPerMTok: 0.01, contextWindow: 8_191, capabilities: ['embeddings'] },
        { id: 'mini', provider: 'p', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
        { id: 'max', provider: 'p', tier: 'hot', inputCostPerMTok: 5, outputCostPerMTok: 20, contextWindow: 200_000 },
        { id: 'embed-b', provider: 'p', tier: 'vectors', inputCostPerMTok: 0.13, contextWindow: 8_191, capabilities: ['embeddings'] },
      ],
    });
    return { mock, catalog };
  }

  it('is never chosen for chat: not by tier, fallback, auto, the classifier, the baseline or a budget downgrade', async () => {
    const { mock, catalog } = await catalogWithEmbeddings();
    const client = createTieredClient({ catalog, classifier: {}, retry: { retries: 0 } });
    const downgrading = createTieredClient({ catalog, budget: { limitUsd: 0.0000001, windowMs: 3_600_000, onExceeded: 'downgrade' } });
    try {
      mock.enqueue('mini', { content: 'hot' }); // the classifier by default: mini, the cheapest chat model
      mock.setReply('max', { status: 500 }); // escalating from hot leads only to 'vectors', which holds no chat model

      const auto = await client.tieredChat({ model: 'auto', messages: ask('Hi') }).catch((e: unknown) => e);
      const economy = await client.tieredChat({ model: 'economy', messages: ask('Hi') });
      const downgraded = await downgrading.tieredChat({ model: 'hot', messages: ask('Hi'), max_completion_tokens: 100 });

      expect(auto).toBeInstanceOf(AllModelsFailedError);
      expect((auto as AllModelsFailedError).attempts.map((a) => a.model)).toEqual(['max']);
      expect(JSON.stringify(mock.requestsFor('mini')[0]?.body)).not.toContain('vectors'); // the classifier is offered chat tiers only
      expect([economy.model, downgraded.model]).toEqual(['mini', 'mini']);
      expect(client.metrics().baselineModel).toBe('max');
      const chatModels = mock.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => (r.body as { model: string }).model);
      expect(new Set(chatModels)).toEqual(new Set(['mini', 'max']));
    } finally {
      await Promise.all([client.close(), downgrading.close()]);
      await mock.close();
    }
  });

  it('named in a chat request, tier or model id, or as the shadow model or judge, is a ConfigError saying it serves embeddings only', async () => {
    const { mock, catalog } = await catalogWithEmbeddings();
    const client = createTieredClient({ catalog });
    try {
      for (const model of ['vectors', 'embed-a'] as const) {
        await expect(client.tieredChat({ model, messages: ask() })).rejects.toMatchObject({
          field: 'model',
          message: expect.stringContaining('embeddings only'),
        });
      }
      expect(() => createTieredClient({ catalog, metrics: { baselineModel: 'embed-b' } })).toThrow(
        expect.objectContaining({ field: 'metrics.baselineModel' }),
      );
      expect(() => createTieredClient({ catalog, classifier: { model: 'embed-a' } })).toThrow(
        expect.objectContaining({ field: 'classifier.model' }),
      );
      expect(() => createTieredClient({ catalog, fallback: { economy: ['vectors'] } })).toThrow(
        expect.objectContaining({ field: 'fallback.economy[0]' }),
      );
      for (const [shadow, field] of [
        [{ model: 'embed-b' }, 'shadow.model'],
        [{ model: 'vectors' }, 'shadow.model'],
        [{ model: 'max', judge: 'embed-a' }, 'shadow.judge'],
        [{ model: 'max', judge: 'vectors' }, 'shadow.judge'],
      ] as const) {
        expect(() => createTieredClient({ catalog, shadow: { sampleRate: 1, ...shadow } })).toThrow(
          expect.objectContaining({ field, message: expect.stringContaining('embedding') }),
        );
      }
      expect(mock.requests).toHaveLength(0);
    } finally {
      await client.close();
      await mock.close();
    }
  });
});
