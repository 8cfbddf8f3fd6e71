import { describe, expect, it } from 'vitest';
import type { CacheEvent, CacheStore, SemanticIndexEntry, SemanticIndexFollowOptions, SharedSemanticIndex } from '../src/index.js';
import { ask, recordEvents, startFleet, useFleet, type Fleet } from './fleet.js';

const fleet = useFleet({ embeddings: true });

const semantic = (fleet: Fleet, threshold = 0.9) =>
  fleet.client({ cache: { semantic: { embeddingModel: 'embed-small', provider: 'primary', threshold } } });
const chats = (fleet: Fleet) => fleet.primary.requests.filter((r) => r.path.endsWith('/chat/completions'));
const embeddings = (fleet: Fleet) => fleet.primary.requests.filter((r) => r.path.endsWith('/embeddings'));

describe('the semantic cache', () => {
  it('answers a request worded differently but meaning the same, after an exact miss', async () => {
    const client = semantic(fleet);
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { content: 'Paris.' });
    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    const similar = await client.tieredChat({ model: 'economy', messages: ask("what's the capital of france") });

    expect(similar).toMatchObject({ cached: true, text: 'Paris.' }); // its cost, the embedding: costTruth.test.ts
    expect(chats(fleet)).toHaveLength(1);
    expect(embeddings(fleet)).toHaveLength(2);
    const hit = events.find((e) => e.name === 'cache:hit')?.payload as CacheEvent;
    expect(hit.similarity).toBeGreaterThanOrEqual(0.9);
  });

  it('does not answer a request about something else', async () => {
    const client = semantic(fleet);
    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    const other = await client.tieredChat({ model: 'economy', messages: ask('How do I bake sourdough bread?') });

    expect(other.cached).toBe(false);
  });

  it('is not consulted for requests with tools: no embedding is even computed', async () => {
    const client = semantic(fleet);
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object' } } }];
    await client.tieredChat({ model: 'economy', messages: ask('Weather in Paris?'), tools });

    const similar = await client.tieredChat({ model: 'economy', messages: ask('weather in paris'), tools });

    expect(similar.cached).toBe(false);
    expect(embeddings(fleet)).toHaveLength(0);
  });

  it('never crosses namespaces', async () => {
    const client = semantic(fleet);
    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') }, { cacheNamespace: 'a' });

    const other = await client.tieredChat({ model: 'economy', messages: ask("what's the capital of france") }, { cacheNamespace: 'b' });

    expect(other.cached).toBe(false);
  });

  it('matches only requests whose other parameters are the same', async () => {
    const client = semantic(fleet);
    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?'), temperature: 0 });

    const warmer = await client.tieredChat({ model: 'economy', messages: ask("what's the capital of france"), temperature: 1 });
    const otherTier = await client.tieredChat({ model: 'warm', messages: ask("what's the capital of france"), temperature: 0 });

    expect([warmer.cached, otherTier.cached]).toEqual([false, false]);
  });

  it('with a failing embeddings endpoint, leaves calls uncached and successful, with cache:error', async () => {
    const client = semantic(fleet);
    const events = recordEvents(client);
    fleet.primary.setReply('embed-small', { status: 500 });

    const result = await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    expect(result.cached).toBe(false);
    expect(events.find((e) => e.name === 'cache:error')?.payload).toMatchObject({ operation: 'chat', action: 'embed' });
  });

  it('names an unknown provider as a ConfigError at construction', () => {
    expect(() => fleet.client({ cache: { semantic: { embeddingModel: 'embed-small', provider: 'nowhere' } } })).toThrow(
      expect.objectContaining({ field: 'cache.semantic.provider' }),
    );
  });

  it('prices its embeddings from a catalog entry with the capability embeddings: without one, a ConfigError at construction', async () => {
    const unpriced = await startFleet();
    try {
      expect(() => unpriced.client({ cache: { semantic: { embeddingModel: 'embed-small' } } })).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          field: 'cache.semantic.embeddingModel',
          hint: expect.stringContaining("capabilities: ['embeddings']"),
        }),
      );
      expect(() => unpriced.client({ cache: { semantic: { embeddingModel: 'eco-mini' } } })).toThrow(/not an embedding model/);
    } finally {
      await unpriced.close();
    }
  });

  it('takes the embedding model by tier too, and its provider from its catalog entry', async () => {
    const client = fleet.client({ cache: { semantic: { embeddingModel: 'economy', threshold: 0.9 } } });

    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    expect(embeddings(fleet).map((r) => (r.body as { model: string }).model)).toEqual(['embed-small']);
    expect(() => fleet.client({ cache: { semantic: { embeddingModel: 'embed-small', provider: 'secondary' } } })).toThrow(
      expect.objectContaining({ field: 'cache.semantic.provider' }),
    );
  });

  it('is not consulted for requests with images: their meaning is not in the text', async () => {
    const client = semantic(fleet);
    const withImage = (url: string) => [
      {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: 'What is in this picture?' },
          { type: 'image_url' as const, image_url: { url } },
        ],
      },
    ];
    await client.tieredChat({ model: 'economy', messages: withImage('https://example.test/cat.png') });

    const dog = await client.tieredChat({ model: 'economy', messages: withImage('https://example.test/dog.png') });

    expect(dog.cached).toBe(false);
    expect(embeddings(fleet)).toHaveLength(0);
  });

  it('writes a semantic hit under its own wording: its repeat is an exact hit, with no embedding call', async () => {
    const client = semantic(fleet);
    await client.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });
    await client.tieredChat({ model: 'economy', messages: ask("what's the capital of france") });
    const embedded = embeddings(fleet).length;

    const repeat = await client.tieredChat({ model: 'economy', messages: ask("what's the capital of france") });

    expect(repeat.cached).toBe(true);
    expect(embeddings(fleet)).toHaveLength(embedded);
  });
});

describe('the semantic cache, when a call is aborted while it looks', () => {
  it('lets the identical calls after it fetch for themselves', async () => {
    const client = semantic(fleet);
    fleet.primary.setReply('embed-small', { fault: 'hang' });
    const controller = new AbortController();
    const aborted = client.tieredChat({ model: 'economy', messages: ask('Capital of Peru?') }, { signal: controller.signal });
    await fleet.primary.waitForRequests(1);
    controller.abort();
    await expect(aborted).rejects.toThrow();
    fleet.primary.setReply('embed-small', {});
    fleet.primary.setReply('eco-mini', { content: 'Lima.' });

    const next = await client.tieredChat({ model: 'economy', messages: ask('Capital of Peru?') }, { timeoutMs: 5_000 });

    expect(next.text).toBe('Lima.');
    expect(chats(fleet)).toHaveLength(1);
  });
});

describe('a store of your own that shares its semantic index (CacheStore.semanticIndex)', () => {
  /** Answers in one Map and index entries in one log, for every client on it: two machines, in one process. */
  function sharedMemory() {
    const answers = new Map<string, string>();
    const log: { origin: number; entry: SemanticIndexEntry }[] = [];
    const followers = new Map<number, SemanticIndexFollowOptions>();
    let next = 0;
    const semanticIndex: SharedSemanticIndex = {
      follow(options) {
        const origin = next++;
        followers.set(origin, options);
        for (const published of log) if (published.origin !== origin) options.onEntry(published.entry);
        return {
          ready: Promise.resolve(),
          publish(entry) {
            log.push({ origin, entry });
            for (const [other, follower] of followers) if (other !== origin) follower.onEntry(entry);
          },
          stop: () => void followers.delete(origin),
        };
      },
    };
    const store: CacheStore = {
      get: (key) => answers.get(key),
      set: (key, value) => void answers.set(key, value),
      delete: (key) => void answers.delete(key),
      semanticIndex,
    };
    return { store, followers };
  }
  const onStore = (store: CacheStore) =>
    fleet.client({ cache: { store, semantic: { embeddingModel: 'embed-small', provider: 'primary', threshold: 0.9 } } });

  it('gives a paraphrase on one client the answer another fetched, with no chat request', async () => {
    const { store } = sharedMemory();
    const [first, second] = [onStore(store), onStore(store)];
    fleet.primary.setReply('eco-mini', { content: 'Paris.' });
    await first.tieredChat({ model: 'economy', messages: ask('What is the capital of France?') });

    const similar = await second.tieredChat({ model: 'economy', messages: ask("what's the capital of france") });

    expect(similar).toMatchObject({ cached: true, text: 'Paris.' });
    expect(chats(fleet)).toHaveLength(1);
  });

  it('stops following when the client closes', async () => {
    const { store, followers } = sharedMemory();
    const client = onStore(store);
    expect(followers.size).toBe(1);

    await client.close();

    expect(followers.size).toBe(0);
  });

  it('names a semanticIndex without follow() as a ConfigError at construction', () => {
    const store = { get: () => undefined, set: () => {}, delete: () => {}, semanticIndex: {} } as unknown as CacheStore;

    expect(() => onStore(store)).toThrow(expect.objectContaining({ field: 'cache.store.semanticIndex' }));
  });
});
