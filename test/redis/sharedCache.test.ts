import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTieredClient, defineCatalog } from '../../src/index.js';
import { RedisCacheStore } from '../../src/redis/index.js';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { noRedisServer, startRedis, stopAllRedis } from '../support/redisServer.js';
import { until } from './until.js';

const root = join(import.meta.dirname, '../..');
const src = (path: string) => JSON.stringify(pathToFileURL(join(root, 'src', path)).href);
const ask = [{ role: 'user' as const, content: 'What is shared between machines?' }];

let mock: MockOpenAI;
beforeEach(async () => {
  mock = await startMockOpenAI({ models: { 'shared-model': { content: 'One answer for every machine.' } } });
});
afterEach(async () => {
  await mock.close();
  await stopAllRedis();
});

const catalogFor = (url: string) =>
  defineCatalog({
    providers: { local: { apiKey: 'sk-test-shared', baseURL: url } },
    tiers: ['economy'],
    models: [{ id: 'shared-model', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 2, contextWindow: 8_000 }],
  });

describe.skipIf(noRedisServer)('a cache on Redis', () => {
  it('is shared by two processes: what one fetched, the other gets without a call', async () => {
    const redis = await startRedis();
    const script = `
import { createTieredClient, defineCatalog } from ${src('index.ts')};
import { RedisCacheStore } from ${src('redis/index.ts')};
const catalog = defineCatalog({
  providers: { local: { apiKey: 'sk-test-shared', baseURL: ${JSON.stringify(mock.url)} } },
  tiers: ['economy'],
  models: [{ id: 'shared-model', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 2, contextWindow: 8000 }],
});
const store = new RedisCacheStore({ redis: ${JSON.stringify(redis.url)} });
const client = createTieredClient({ catalog, cache: { store } });
const result = await client.tieredChat({ model: 'economy', messages: ${JSON.stringify(ask)} });
await client.close();
await store.close();
console.log(result.cached);`;
    const other = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: root, timeout: 20_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim())),
      ),
    );
    const store = new RedisCacheStore({ redis: redis.url });
    const client = createTieredClient({ catalog: catalogFor(mock.url), cache: { store } });

    const here = await client.tieredChat({ model: 'economy', messages: ask });
    await client.close();
    await store.close();

    expect(other).toBe('false'); // the other process fetched it
    expect(here).toMatchObject({ cached: true, text: 'One answer for every machine.' });
    expect(mock.requests).toHaveLength(1);
  });

  it('going down mid-run leaves every call successful, uncached, with cache:error; coming back, it serves again', async () => {
    const redis = await startRedis();
    const store = new RedisCacheStore({ redis: redis.url, timeoutMs: 200 });
    const client = createTieredClient({ catalog: catalogFor(mock.url), cache: { store, timeoutMs: 200 } });
    const errors: string[] = [];
    client.on('cache:error', (e) => errors.push(e.action));
    const call = () => client.tieredChat({ model: 'economy', messages: ask });

    const before = [await call(), await call()];
    await redis.stop();
    const during = [];
    for (let i = 0; i < 5; i++) during.push(await call());
    await redis.start();
    // The restarted Redis is empty, and the store reconnects with backoff: poll until a call is a hit again.
    // Real time: the reconnection is ioredis' own, to a real Redis process; polled, not slept.
    await until(async () => (await call()).cached, 'the cache to serve again after Redis came back');
    const after = await call();
    await client.close();
    await store.close();

    expect(before.map((r) => r.cached)).toEqual([false, true]);
    expect(during.every((r) => r.cached === false && r.text === 'One answer for every machine.')).toBe(true);
    expect(errors).toContain('get');
    expect(after.cached).toBe(true);
  });
});
