import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTieredClient, defineCatalog, type CacheErrorEvent, type CacheEvent } from '../../src/index.js';
import { RedisCacheStore } from '../../src/redis/index.js';
import { startMockOpenAI, type MockOpenAI, type MockRequest } from '../../src/testing/index.js';
import { noRedisServer, startRedis, stopAllRedis, type RedisServer } from '../support/redisServer.js';
import { until } from './until.js';

// Two clients, each with its own RedisCacheStore on one redis-server: two machines of a fleet.
// Entries travel between them through Redis in real time, so a test waits for them with
// vi.waitFor/until on a condition (polled, never slept). For that, only a question's first wording
// (a capital first) gets an answer worth storing; any other wording that reaches the mock is
// filtered and never cached, so a probe that misses leaves nothing behind that a later probe of
// the same client could find: a hit can only come from what another client published.

const stream = 'tiered-llm:cache:semantic';
const ask = (text: string) => [{ role: 'user' as const, content: text }];
const france = { asked: 'What is the capital of France?', reworded: "what's the capital of france" };
const peru = { asked: 'What is the capital of Peru?', reworded: "what's the capital of peru" };

let mock: MockOpenAI;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

const textOf = (request: MockRequest): string => {
  const messages = (request.body as { messages?: { content?: unknown }[] }).messages ?? [];
  return String(messages.at(-1)?.content ?? '');
};
const chatsAbout = (text: string) => mock.requests.filter((r) => r.path.endsWith('/chat/completions') && textOf(r) === text);

beforeEach(async () => {
  mock = await startMockOpenAI();
  mock.setReply('chat-mini', (request) =>
    /^[A-Z]/.test(textOf(request)) ? { content: `Answer to: ${textOf(request)}` } : { content: 'filtered', finishReason: 'content_filter' },
  );
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await mock.close();
  await stopAllRedis();
});

const catalogFor = (url: string) =>
  defineCatalog({
    providers: { local: { apiKey: 'sk-test-semantic-fleet', baseURL: url } },
    tiers: ['economy'],
    models: [
      { id: 'chat-mini', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 2, contextWindow: 8_000 },
      { id: 'embed-small', provider: 'local', tier: 'economy', inputCostPerMTok: 0.02, contextWindow: 8_191, capabilities: ['embeddings'] },
    ],
  });

/** One machine: a client with the semantic cache, on a store of its own on `server`; its share errors recorded. */
const machine = (server: RedisServer, maxEntries = 1_000) => {
  const store = new RedisCacheStore({ redis: server.url });
  // A generous time limit: on a loaded machine, a 250 ms limit could cut a catch-up short and make a test flaky.
  const client = createTieredClient({
    catalog: catalogFor(mock.url),
    cache: { store, timeoutMs: 5_000, semantic: { embeddingModel: 'embed-small', threshold: 0.9, maxEntries } },
    retry: { retries: 0 },
  });
  cleanups.push(
    () => store.close(),
    () => client.close(),
  );
  const shareErrors: CacheErrorEvent[] = [];
  client.on('cache:error', (e) => e.action === 'share' && shareErrors.push(e));
  const hits: CacheEvent[] = [];
  client.on('cache:hit', (e) => hits.push(e));
  const chat = (text: string) => client.tieredChat({ model: 'economy', messages: ask(text) });
  return { client, store, chat, shareErrors, hits };
};

/** A connection of the test's own, to look at the stream. */
const inspect = (server: RedisServer): Redis => {
  const redis = new Redis(server.url, { lazyConnect: true });
  redis.on('error', () => undefined);
  cleanups.push(() => redis.disconnect());
  return redis;
};

/** Asks `text` until it is a cache hit (each miss is filtered upstream, so it leaves nothing behind); the hit's result. */
const askUntilHit = async (chat: (text: string) => ReturnType<ReturnType<typeof machine>['chat']>, text: string) =>
  vi.waitFor(
    async () => {
      const result = await chat(text);
      if (!result.cached) throw new Error(`'${text}' is not a hit yet`);
      return result;
    },
    { timeout: 15_000, interval: 20 },
  );

describe.skipIf(noRedisServer)('a semantic cache on Redis, shared by the fleet', () => {
  it('answers a paraphrase on one machine with what another answered: a semantic hit, without a chat request', async () => {
    const server = await startRedis();
    const [first, second] = [machine(server), machine(server)];
    await first.chat(france.asked);

    const before = chatsAbout(france.reworded).length;
    const result = await askUntilHit(second.chat, france.reworded);

    expect(result).toMatchObject({ cached: true, text: `Answer to: ${france.asked}` });
    expect(chatsAbout(france.reworded).length - before).toBe(0); // the hit itself sent nothing upstream
    expect(second.hits.at(-1)?.similarity).toBeGreaterThanOrEqual(0.9);
    expect(second.hits.at(-1)?.similarity).toBeLessThan(1);
  });

  it('catches up on start: a machine started after the answer finds it by meaning at its first call', async () => {
    const server = await startRedis();
    const first = machine(server);
    await first.chat(france.asked);
    const redis = inspect(server);
    await until(async () => (await redis.xlen(stream)) === 1, 'the entry is published');

    const second = machine(server);
    const result = await second.chat(france.reworded);

    expect(result).toMatchObject({ cached: true, text: `Answer to: ${france.asked}` });
    expect(chatsAbout(france.reworded)).toHaveLength(0);
  });

  it('through an outage, reports it once per machine, and then catches up on what was published after it', async () => {
    const server = await startRedis();
    const [first, second] = [machine(server), machine(server)];
    await first.chat(france.asked);
    await askUntilHit(second.chat, france.reworded);

    await server.stop();
    await vi.waitFor(() => expect([first.shareErrors.length, second.shareErrors.length]).toEqual([1, 1]), { timeout: 10_000 });
    const during = await second.chat(peru.reworded); // succeeds, uncached: the index is local meanwhile
    await server.start();
    const redis = inspect(server);
    // Answered by the first machine once its store is back (the first attempts may find Redis still away).
    await until(async () => {
      await first.chat(peru.asked);
      return (await redis.xlen(stream).catch(() => 0)) >= 1;
    }, 'the first machine has published an answer after the outage');
    const after = await askUntilHit(second.chat, peru.reworded);

    expect(during.cached).toBe(false);
    expect(after.text).toBe(`Answer to: ${peru.asked}`);
    expect([first.shareErrors, second.shareErrors].map((errors) => errors.map((e) => e.error.message))).toEqual([
      [expect.stringMatching(/^Redis XREAD failed: /)],
      [expect.stringMatching(/^Redis XREAD failed: /)],
    ]);
    expect(second.shareErrors[0]).not.toHaveProperty('requestId');
  });

  it('keeps its index through an outage: an entry indexed before it finds its answer again once Redis holds it', async () => {
    const server = await startRedis();
    const { chat } = machine(server);
    await chat(france.asked);
    const redis = inspect(server);
    await until(async () => (await redis.xlen(stream)) === 1, 'the entry is published');
    const keys = (await redis.keys('tiered-llm:cache:*')).filter((key) => key !== stream);
    const answers = await Promise.all(keys.map(async (key) => [key, await redis.get(key)] as const));

    await server.stop();
    expect((await chat(france.reworded)).cached).toBe(false); // the index points to an answer the store cannot give now
    await server.start();
    for (const [key, value] of answers) await redis.set(key, value!); // a Redis that kept its data (the stream aside)

    const result = await askUntilHit(chat, france.reworded);
    expect(result.text).toBe(`Answer to: ${france.asked}`);
    expect(await redis.xlen(stream)).toBe(0); // nothing was published again: the hit came from the local index
  });

  it('keeps the stream bounded by the semantic maxEntries (MAXLEN ~), expiring with the answers', async () => {
    const server = await startRedis(['--stream-node-max-entries', '4']); // '~' trims whole nodes: small ones here
    const { chat } = machine(server, 8);
    const redis = inspect(server);

    for (let i = 0; i < 30; i++) await chat(`Topic alpha${i} bravo${i} charlie${i}?`);
    await until(async () => entriesAdded(await redis.call('XINFO', 'STREAM', stream)) === 30, 'every entry is published');

    const length = await redis.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(8);
    expect(length).toBeLessThanOrEqual(8 + 4);
    expect(await redis.pttl(stream)).toBeGreaterThan(0);
  });

  it('follows on one connection of its own, which close() releases', async () => {
    const server = await startRedis();
    const { client } = machine(server);
    const redis = inspect(server);
    const readers = async () => ((await redis.client('LIST')) as string).split('\n').filter((line) => / cmd=xread/.test(line)).length;
    await until(async () => (await readers()) === 1, 'the client follows the stream');

    await client.close();

    await until(async () => (await readers()) === 0, 'the follower has gone');
  });
});

function entriesAdded(info: unknown): number {
  const fields = info as unknown[];
  return Number(fields[fields.indexOf('entries-added') + 1]);
}

describe.skipIf(noRedisServer)('a process following the shared semantic index', () => {
  const root = join(import.meta.dirname, '../..');
  const src = (path: string) => JSON.stringify(pathToFileURL(join(root, 'src', path)).href);
  /** Runs a script making one semantic call in a fresh Node; rejects unless it exits by itself within 20 s. */
  const runMachine = (redis: string, end: string): Promise<string> => {
    const script = `
import { Redis } from 'ioredis';
import { createTieredClient, defineCatalog } from ${src('index.ts')};
import { RedisCacheStore } from ${src('redis/index.ts')};
const catalog = defineCatalog(${JSON.stringify({
      providers: { local: { apiKey: 'sk-test-semantic-fleet', baseURL: mock.url } },
      tiers: ['economy'],
      models: [
        { id: 'chat-mini', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 2, contextWindow: 8_000 },
        {
          id: 'embed-small',
          provider: 'local',
          tier: 'economy',
          inputCostPerMTok: 0.02,
          contextWindow: 8_191,
          capabilities: ['embeddings'],
        },
      ],
    })});
${redis}
const store = new RedisCacheStore({ redis });
const client = createTieredClient({ catalog, cache: { store, semantic: { embeddingModel: 'embed-small', threshold: 0.9 } } });
const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'What is the capital of France?' }] });
console.log(result.text);
${end}`;
    return new Promise((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: root, timeout: 20_000 },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`${error.killed ? 'the process did not exit by itself' : error.message}\n${stderr}`))
            : resolve(stdout.trim()),
      ),
    );
  };

  it('exits by itself once it closes its client and store', async () => {
    const server = await startRedis();

    const out = await runMachine(`const redis = ${JSON.stringify(server.url)};`, 'await client.close(); await store.close();');

    expect(out).toBe('Answer to: What is the capital of France?');
  });

  it('is not held up by the follower: quitting its own ioredis instance is enough to exit, the client left open', async () => {
    const server = await startRedis();

    const out = await runMachine(`const redis = new Redis(${JSON.stringify(server.url)});`, 'await redis.quit();');

    expect(out).toBe('Answer to: What is the capital of France?');
  });
});

describe('a semantic cache on a given Redis instance that cannot open a second connection', () => {
  it('says so in a cache:error a listener added after construction receives, with what to do', async () => {
    // A Redis-like object with the commands the store sends, but no duplicate(): no follower can be made.
    const values = new Map<string, string>();
    const redis = {
      get: (key: string) => Promise.resolve(values.get(key) ?? null),
      set: (key: string, value: string) => Promise.resolve(void values.set(key, value)),
      del: (key: string) => Promise.resolve(Number(values.delete(key))),
    };
    const store = new RedisCacheStore({ redis: redis as never });
    const client = createTieredClient({
      catalog: catalogFor(mock.url),
      cache: { store, semantic: { embeddingModel: 'embed-small', threshold: 0.9 } },
    });
    cleanups.push(() => client.close());
    const shareErrors: CacheErrorEvent[] = [];
    client.on('cache:error', (e) => shareErrors.push(e));
    await Promise.resolve();

    expect(shareErrors).toHaveLength(1);
    expect(shareErrors[0]).toMatchObject({
      action: 'share',
      error: { message: expect.stringMatching(/duplicate\(\).*shareSemanticIndex: false/) },
    });
  });
});
