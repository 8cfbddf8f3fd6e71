import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTieredClient,
  defineCatalog,
  type ModelLimits,
  type RateLimitErrorEvent,
  type RateLimitStore,
  type RouteEvent,
  type TieredClientOptions,
} from '../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';
import { ask, embedSmall, names, recordEvents } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

/*
 * The requests the client makes on a caller's behalf (the classifier's grading of an 'auto' call,
 * the semantic cache's embedding) count under their model's `limits` and its provider's pause, like
 * the caller's own requests: without room, they are not sent.
 */

const apiKey = 'sk-test-side-limits-5e0b7a2c91';
let mock: MockOpenAI;
let clients: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  mock = await startMockOpenAI({ apiKey });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await mock.close();
});

/** `eco-mini` (economy: also the classifier's model), `warm-mid` (warm), and `embed-small`, on one provider. */
function clientWith(limits: { eco?: ModelLimits; embed?: ModelLimits }, options: Omit<TieredClientOptions, 'catalog'> = {}) {
  const catalog = defineCatalog({
    providers: { primary: { apiKey, baseURL: mock.url } },
    tiers: ['economy', 'warm'],
    models: [
      {
        id: 'eco-mini',
        provider: 'primary',
        tier: 'economy',
        inputCostPerMTok: 0.1,
        outputCostPerMTok: 0.4,
        contextWindow: 16_000,
        ...(limits.eco === undefined ? {} : { limits: limits.eco }),
      },
      { id: 'warm-mid', provider: 'primary', tier: 'warm', inputCostPerMTok: 1, outputCostPerMTok: 4, contextWindow: 64_000 },
      { ...embedSmall, ...(limits.embed === undefined ? {} : { limits: limits.embed }) },
    ],
  });
  // affinity off: each call is routed on its own.
  const client = createTieredClient({ catalog, retry: { retries: 0 }, affinity: false, ...options });
  clients.push(client);
  return client;
}

const graded = (client: ReturnType<typeof clientWith>) => {
  const events = recordEvents(client);
  return () => events.filter((e) => e.name === 'route').map((e) => e.payload as RouteEvent);
};
/** The classifier's grading requests: the only ones asking for 16 tokens at temperature 0. */
const gradings = () =>
  mock.requestsFor('eco-mini').filter((r) => (r.body as { max_completion_tokens?: number }).max_completion_tokens === 16);
const embeddings = () => mock.requests.filter((r) => r.path.endsWith('/embeddings'));
const atItsLimit = { by: 'heuristic', reason: expect.stringContaining("the classifier's model is at its rate limit") };

describe("the classifier's grading under its model's limits", () => {
  it('is not sent once the model is at its rpm: the heuristic routes the call, and the route says why', async () => {
    const client = clientWith({ eco: { rpm: 1 } }, { classifier: { model: 'eco-mini' } });
    const routes = graded(client);
    mock.enqueue('eco-mini', { content: 'warm' });

    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });
    await client.tieredChat({ model: 'auto', messages: ask('Translate this sentence.') });

    expect(routes()).toMatchObject([{ by: 'classifier', tier: 'warm' }, atItsLimit]);
    expect(gradings()).toHaveLength(1);
  });

  it("counts toward the same rpm as callers' requests to that model: a caller's request after it is skipped", async () => {
    const client = clientWith({ eco: { rpm: 1 } }, { classifier: { model: 'eco-mini' } });
    mock.enqueue('eco-mini', { content: 'warm' });
    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    const result = await client.tieredChat({ model: 'economy', messages: ask('Say hello.') });

    expect(result.attempts[0]).toMatchObject({ model: 'eco-mini', outcome: 'skipped', errorCode: 'rate_limited' });
    expect(mock.requestsFor('eco-mini')).toHaveLength(1); // the grading only
  });

  it("is not sent when a caller's requests have used the model's rpm", async () => {
    const client = clientWith({ eco: { rpm: 1 } }, { classifier: { model: 'eco-mini' } });
    const routes = graded(client);
    await client.tieredChat({ model: 'economy', messages: ask('Say hello.') });

    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    expect(routes().at(-1)).toMatchObject(atItsLimit);
    expect(mock.requestsFor('eco-mini')).toHaveLength(1); // the caller's only
  });

  it("is not sent while a caller's request holds the model's only maxConcurrent slot", async () => {
    useFakeClock();
    const client = clientWith({ eco: { maxConcurrent: 1 } }, { classifier: { model: 'eco-mini' } });
    const routes = graded(client);
    mock.enqueue('eco-mini', { latencyMs: 1_000 });
    const holding = client.tieredChat({ model: 'economy', messages: ask('Say hello.') });
    await mock.waitForRequests(1);

    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });
    await advance(1_000);
    await holding;

    expect(routes().at(-1)).toMatchObject(atItsLimit);
    expect(gradings()).toHaveLength(0);
  });

  it('gives its slot back: the next call is graded again', async () => {
    const client = clientWith({ eco: { maxConcurrent: 1 } }, { classifier: { model: 'eco-mini' } });
    const routes = graded(client);
    mock.enqueue('eco-mini', { content: 'warm' }, { content: 'warm' });

    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });
    await client.tieredChat({ model: 'auto', messages: ask('Translate this sentence.') });

    expect(routes()).toMatchObject([{ by: 'classifier' }, { by: 'classifier' }]);
  });
  it('is sent, counted in this process, when the shared store fails: rateLimit:error names the call it graded', async () => {
    const failing: RateLimitStore = { acquire: () => Promise.reject(new Error('store is down')), settle: () => {} };
    const client = clientWith({ eco: { rpm: 1 } }, { classifier: { model: 'eco-mini' }, rateLimit: { store: failing } });
    const errors: RateLimitErrorEvent[] = [];
    client.on('rateLimit:error', (e) => errors.push(e));
    mock.enqueue('eco-mini', { content: 'warm' });

    const first = await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });
    const second = await client.tieredChat({ model: 'economy', messages: ask('Say hello.') });

    expect(first.tier).toBe('warm'); // graded
    expect(errors[0]).toMatchObject({ requestId: first.requestId, model: 'eco-mini', action: 'acquire' });
    expect(second.attempts[0]).toMatchObject({ model: 'eco-mini', outcome: 'skipped', errorCode: 'rate_limited' }); // the local count holds
  });
});

describe("the semantic cache's embedding under its model's limits", () => {
  const semantic = { cache: { semantic: { embeddingModel: 'embed-small', threshold: 0.9 } } } as const;

  it('is not sent once the embedding model is at its rpm: the call is a semantic miss, not a cache error', async () => {
    const client = clientWith({ embed: { rpm: 1 } }, semantic);
    const events = recordEvents(client);
    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    const other = await client.tieredChat({ model: 'economy', messages: ask('How do I bake sourdough bread?') });

    expect(other.cached).toBe(false);
    expect(embeddings()).toHaveLength(1);
    expect(names(events).filter((n) => n.startsWith('cache:'))).toEqual(['cache:miss', 'cache:miss']);
  });

  it("is not sent while the embedding model's provider has paused it (x-ratelimit-* at 0)", async () => {
    const client = clientWith({}, semantic);
    mock.enqueue('embed-small', { headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' } });
    await client.embeddings.create({ model: 'embed-small', input: 'The food was delicious.' });

    const answer = await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    expect(answer.cached).toBe(false);
    expect(embeddings()).toHaveLength(1); // the caller's own
  });
});
