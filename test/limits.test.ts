import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AllModelsFailedError,
  ConfigError,
  createTieredClient,
  defineCatalog,
  MemoryRateLimitStore,
  type ModelLimits,
  type RateLimitStore,
  type TieredClientOptions,
} from '../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';
import { ask, recordEvents } from './fleet.js';
import { advance, nextEvent, useFakeClock } from './support/clock.js';

const keys = { primary: 'sk-test-primary-limits-8d1f02', secondary: 'sk-test-secondary-limits-71ac' } as const;
type Provider = keyof typeof keys;

let mocks: Record<Provider, MockOpenAI>;
let clients: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  mocks = { primary: await startMockOpenAI({ apiKey: keys.primary }), secondary: await startMockOpenAI({ apiKey: keys.secondary }) };
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await Promise.all([mocks.primary.close(), mocks.secondary.close()]);
});

/**
 * One tier, `economy`: `eco-mini` on primary (tried first), then on secondary, each with the limits
 * given. `split`: secondary's in a pricier tier, `warm`, instead.
 */
function catalogWith(limits: Partial<Record<Provider, ModelLimits>>, split = false) {
  const entry = (provider: Provider) =>
    ({
      id: 'eco-mini',
      provider,
      tier: split && provider === 'secondary' ? 'warm' : 'economy',
      inputCostPerMTok: 0.1,
      outputCostPerMTok: 0.4,
      contextWindow: 16_000,
      ...(limits[provider] === undefined ? {} : { limits: limits[provider] }),
    }) as const;
  return defineCatalog({
    providers: {
      primary: { apiKey: keys.primary, baseURL: mocks.primary.url },
      secondary: { apiKey: keys.secondary, baseURL: mocks.secondary.url },
    },
    tiers: split ? ['economy', 'warm'] : ['economy'],
    models: [entry('primary'), entry('secondary')],
  });
}

type Options = Omit<TieredClientOptions, 'catalog'>;

function limited(limits: Partial<Record<Provider, ModelLimits>>, options: Options = {}, split = false) {
  // affinity off: these tests ask the same conversation again and again, and expect the catalog's order each time.
  const client = createTieredClient({ catalog: catalogWith(limits, split), retry: { retries: 0 }, affinity: false, ...options });
  clients.push(client);
  return client;
}

const ask1 = (client: ReturnType<typeof limited>, extra: object = {}) => client.tieredChat({ model: 'economy', messages: ask(), ...extra });
const trail = (result: { attempts: readonly { provider: string; outcome: string; errorCode?: string }[] }) =>
  result.attempts.map((a) => `${a.provider}:${a.errorCode ?? a.outcome}`);
const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('maxConcurrent', () => {
  it('skips a deployment whose slots are all taken, and uses it again once one is free', async () => {
    useFakeClock();
    const client = limited({ primary: { maxConcurrent: 1 } });
    mocks.primary.enqueue('eco-mini', { latencyMs: 1_000 });

    const first = ask1(client);
    await mocks.primary.waitForRequests(1);
    const second = await ask1(client);
    await advance(1_000);
    await first;
    const third = await ask1(client);

    expect(trail(second)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(second.attempts[0]).toMatchObject({ outcome: 'skipped', errorCode: 'rate_limited', latencyMs: 0 });
    expect(trail(third)).toEqual(['primary:ok']);
  });

  it("holds the slot through the deployment's retries", async () => {
    useFakeClock();
    const client = limited(
      { primary: { maxConcurrent: 1 } },
      { retry: { retries: 1, minTimeoutMs: 1_000, maxTimeoutMs: 1_000, factor: 1 } },
    );
    mocks.primary.enqueue('eco-mini', { status: 503 });

    const failed = nextEvent(client, 'attempt:error');
    const first = ask1(client);
    expect(await failed).toMatchObject({ willRetry: true, delayMs: 1_000 });
    const second = await ask1(client); // during the first call's backoff

    expect(trail(second)).toEqual(['primary:rate_limited', 'secondary:ok']);
    await advance(2_000);
    expect(trail(await first)).toEqual(['primary:server_error', 'primary:ok']);
  });

  it('lets a stream hold its slot until it is read to its end', async () => {
    const client = limited({ primary: { maxConcurrent: 1 } });

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    const during = await ask1(client);
    for await (const chunk of stream) void chunk;
    const after = await ask1(client);

    expect(trail(during)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(trail(after)).toEqual(['primary:ok']);
  });

  it('frees the slot of a stream given up before its end', async () => {
    const client = limited({ primary: { maxConcurrent: 1 } });
    mocks.primary.setReply('eco-mini', { content: 'A long answer, in many chunks.', chunkChars: 2 });

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    for await (const chunk of stream) {
      void chunk;
      break;
    }
    const after = await ask1(client);

    expect(trail(after)).toEqual(['primary:ok']);
  });
});

describe('rpm', () => {
  it('skips a deployment that used its requests of the last 60 s, and uses it again as the window slides', async () => {
    useFakeClock();
    const client = limited({ primary: { rpm: 2 } });

    await ask1(client);
    await advance(30_000);
    await ask1(client);
    const third = await ask1(client);
    await advance(30_000); // the first request has left the window
    const fourth = await ask1(client);
    const fifth = await ask1(client);

    expect(trail(third)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(trail(fourth)).toEqual(['primary:ok']);
    expect(trail(fifth)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(mocks.primary.requests).toHaveLength(3);
  });

  it('counts every retry as a request', async () => {
    const client = limited({ primary: { rpm: 2 } }, { retry: { retries: 1, minTimeoutMs: 0, maxTimeoutMs: 0 } });
    mocks.primary.enqueue('eco-mini', { status: 503 });

    const first = await ask1(client);
    const second = await ask1(client);

    expect(trail(first)).toEqual(['primary:server_error', 'primary:ok']);
    expect(trail(second)).toEqual(['primary:rate_limited', 'secondary:ok']);
  });

  it('skips the deployment when a retry finds no room', async () => {
    const client = limited({ primary: { rpm: 1 } }, { retry: { retries: 1, minTimeoutMs: 0, maxTimeoutMs: 0 } });
    mocks.primary.enqueue('eco-mini', { status: 503 });

    const result = await ask1(client);

    expect(trail(result)).toEqual(['primary:server_error', 'primary:rate_limited', 'secondary:ok']);
  });

  it("says rate_limited in the fallback event's reason", async () => {
    const client = limited({ primary: { rpm: 1 } });
    await ask1(client);
    const events = recordEvents(client);

    await ask1(client);

    expect(events.filter((e) => e.name === 'fallback').map((e) => e.payload)).toEqual([
      expect.objectContaining({ from: 'eco-mini', fromProvider: 'primary', toProvider: 'secondary', reason: 'rate_limited' }),
    ]);
  });

  it('fails with AllModelsFailedError naming every skipped deployment when all are at their limits', async () => {
    const client = limited({ primary: { rpm: 1 }, secondary: { rpm: 1 } });
    await ask1(client);
    await ask1(client);

    const error = await caught(ask1(client));

    expect(AllModelsFailedError.isInstance(error)).toBe(true);
    expect((error as AllModelsFailedError).reason).toBe('exhausted');
    expect((error as AllModelsFailedError).attempts).toEqual([
      { model: 'eco-mini', provider: 'primary', tier: 'economy', outcome: 'skipped', errorCode: 'rate_limited', latencyMs: 0 },
      { model: 'eco-mini', provider: 'secondary', tier: 'economy', outcome: 'skipped', errorCode: 'rate_limited', latencyMs: 0 },
    ]);
    expect(mocks.primary.requests.length + mocks.secondary.requests.length).toBe(2);
  });

  it('is held across the clients that share a store', async () => {
    const store = new MemoryRateLimitStore();
    const one = limited({ primary: { rpm: 1 } }, { rateLimit: { store } });
    const two = limited({ primary: { rpm: 1 } }, { rateLimit: { store } });

    await ask1(one);
    const result = await ask1(two);

    expect(trail(result)).toEqual(['primary:rate_limited', 'secondary:ok']);
  });
});

describe('tpm', () => {
  const request = { max_tokens: 100 };

  it('counts the prompt estimate and the output limit before the answer, then the real usage', async () => {
    useFakeClock();
    const client = limited({ primary: { tpm: 150 } });
    mocks.primary.setReply('eco-mini', { latencyMs: 1_000, usage: { promptTokens: 5, completionTokens: 5 } });

    const first = ask1(client, request); // counts ~105 tokens while in flight
    await mocks.primary.waitForRequests(1);
    const during = await ask1(client, request); // ~105 more would pass 150
    await advance(1_000);
    await first; // settled to the 10 tokens used
    const after = ask1(client, request);
    await mocks.primary.waitForRequests(2);
    await advance(1_000);

    expect(trail(during)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(trail(await after)).toEqual(['primary:ok']);
  });

  it("settles a stream's tokens from the usage it reports at its end", async () => {
    const client = limited({ primary: { tpm: 150 } });
    mocks.primary.setReply('eco-mini', { usage: { promptTokens: 5, completionTokens: 5 } });

    await client.tieredChat({ model: 'economy', messages: ask(), stream: true, ...request }).final();
    const next = await ask1(client, request);

    expect(trail(next)).toEqual(['primary:ok']);
  });

  it('settles the tokens of a poor answer that quality escalation leaves behind, on its own deployment', async () => {
    const client = limited({ primary: { tpm: 150 }, secondary: { tpm: 150 } }, { qualityEscalation: true }, true);
    mocks.primary.enqueue('eco-mini', { content: '', usage: { promptTokens: 5, completionTokens: 1 } });

    const escalated = await ask1(client, request); // ~105 counted on each deployment, primary's poor answer used 6
    const next = await ask1(client, request);

    expect(trail(escalated)).toEqual(['primary:empty_answer', 'secondary:ok']);
    expect(trail(next)).toEqual(['primary:ok']);
  });

  it('never sends nor waits for a request larger than the whole limit', async () => {
    useFakeClock();
    const client = limited({ primary: { tpm: 50 } }, { rateLimit: { waitMs: 60_000 } });

    const result = await ask1(client, request);

    expect(trail(result)).toEqual(['primary:rate_limited', 'secondary:ok']);
  });
});

describe('rateLimit.waitMs', () => {
  it('skips a full deployment without waiting while another of its tier may have room', async () => {
    useFakeClock();
    const client = limited({ primary: { maxConcurrent: 1 } }, { rateLimit: { waitMs: 1_000 } });
    mocks.primary.enqueue('eco-mini', { latencyMs: 600 });

    const first = ask1(client);
    await mocks.primary.waitForRequests(1);
    const second = await ask1(client);
    await advance(600);
    await first;

    expect(trail(second)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(mocks.secondary.requests[0]!.receivedAt - mocks.primary.requests[0]!.receivedAt).toBe(0);
  });

  it('waits for a slot on the last deployment of a tier before going to a pricier tier', async () => {
    useFakeClock();
    const client = limited({ primary: { maxConcurrent: 1 } }, { rateLimit: { waitMs: 1_000 } }, true);
    mocks.primary.enqueue('eco-mini', { latencyMs: 600 });

    const first = ask1(client);
    await mocks.primary.waitForRequests(1);
    const second = ask1(client);
    await advance(600);

    expect(trail(await first)).toEqual(['primary:ok']);
    expect(trail(await second)).toEqual(['primary:ok']);
    expect(mocks.primary.requests[1]!.receivedAt - mocks.primary.requests[0]!.receivedAt).toBe(600);
  });

  it('waits for a slot on a full deployment when the others of its tier are out of rotation', async () => {
    useFakeClock();
    const entry = (provider: Provider, id: string, tier: 'economy' | 'warm', limits: ModelLimits = {}) =>
      ({ id, provider, tier, inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000, limits }) as const;
    const catalog = defineCatalog({
      providers: {
        primary: { apiKey: keys.primary, baseURL: mocks.primary.url },
        secondary: { apiKey: keys.secondary, baseURL: mocks.secondary.url },
      },
      tiers: ['economy', 'warm'],
      models: [
        entry('primary', 'eco-mini', 'economy', { maxConcurrent: 1 }),
        entry('secondary', 'eco-mini', 'economy'),
        entry('secondary', 'warm-max', 'warm'),
      ],
    });
    const client = createTieredClient({ catalog, retry: { retries: 0 }, affinity: false, rateLimit: { waitMs: 1_000 } });
    clients.push(client);
    // Secondary's economy deployment asks for a minute's rest: it cools down, out of rotation.
    mocks.secondary.enqueue('eco-mini', { status: 429, headers: { 'retry-after': '60' } });
    await client.tieredChat({ model: 'economy', messages: ask() }, { providers: { only: ['secondary'] } });
    mocks.primary.enqueue('eco-mini', { latencyMs: 600 });

    const first = ask1(client);
    await mocks.primary.waitForRequests(1);
    const second = ask1(client);
    await advance(600);

    expect(trail(await first)).toEqual(['primary:ok']);
    expect(trail(await second)).toEqual(['primary:ok']);
    expect(mocks.secondary.requestsFor('warm-max')).toHaveLength(1); // the cooling call's fallback, no other
  });

  it('waits for the rpm window to slide', async () => {
    useFakeClock();
    const client = limited({ primary: { rpm: 1 } }, { rateLimit: { waitMs: 60_000 } }, true);

    await ask1(client);
    await advance(250);
    const second = ask1(client);
    await advance(59_750);

    expect(trail(await second)).toEqual(['primary:ok']);
    expect(mocks.primary.requests[1]!.receivedAt - mocks.primary.requests[0]!.receivedAt).toBe(60_000);
  });

  it('skips a deployment whose breaker opened while the call waited for its room', async () => {
    useFakeClock();
    const client = limited(
      { primary: { maxConcurrent: 1 } },
      { rateLimit: { waitMs: 5_000 }, breaker: { volumeThreshold: 1, errorThresholdPercentage: 1 } },
      true,
    );
    // The first call holds primary's one slot, then fails there: its breaker opens as the slot frees.
    mocks.primary.enqueue('eco-mini', { status: 500, latencyMs: 1_000 });

    const first = ask1(client);
    await mocks.primary.waitForRequests(1);
    const second = ask1(client);
    await advance(1_000);
    const [one, two] = await Promise.all([first, second]);

    expect(trail(one)).toEqual(['primary:server_error', 'secondary:ok']);
    expect(two.attempts[0]).toMatchObject({ provider: 'primary', outcome: 'skipped', errorCode: 'breaker_open' });
    expect(trail(two)).toEqual(['primary:breaker_open', 'secondary:ok']);
    expect(mocks.primary.requests).toHaveLength(1);
  });

  it.each([
    ['its rpm window', { primary: { rpm: 1 } }, {}],
    ["its provider's pause", {}, { headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' } }],
  ] as const)('skips at once a deployment whose room comes only after waitMs (%s)', async (_, limits, reply) => {
    useFakeClock();
    const client = limited(limits, { rateLimit: { waitMs: 1_000 } }, true);
    mocks.primary.enqueue('eco-mini', reply);

    await ask1(client);
    const askedAt = Date.now();
    let movedOnAt: number | undefined;
    client.on('fallback', () => (movedOnAt = Date.now()));
    const second = ask1(client);
    await advance(1_000);

    expect(trail(await second)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(movedOnAt).toBe(askedAt);
  });

  it('gives up past waitMs and skips the deployment', async () => {
    useFakeClock();
    const client = limited({ primary: { maxConcurrent: 1 } }, { rateLimit: { waitMs: 500 } }, true);
    mocks.primary.enqueue('eco-mini', { latencyMs: 2_000 });

    const first = ask1(client);
    await mocks.primary.waitForRequests(1);
    const second = ask1(client);
    await advance(499);
    expect(mocks.secondary.requests).toHaveLength(0);
    await advance(1);
    const result = await second;
    await advance(1_500);
    await first;

    expect(trail(result)).toEqual(['primary:rate_limited', 'secondary:ok']);
  });
});

describe("a provider's rate-limit headers", () => {
  const exhausted = { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' };

  it.each([
    ['an answer', { headers: exhausted }, false],
    ['a stream', { headers: exhausted }, true],
    ['an error', { status: 503, headers: exhausted }, false],
  ] as const)('at 0 on %s pause the deployment until the reset they give', async (_, reply, stream) => {
    useFakeClock();
    const client = limited({});
    mocks.primary.enqueue('eco-mini', reply);

    if (stream) await client.tieredChat({ model: 'economy', messages: ask(), stream }).final();
    else await ask1(client);
    await advance(1_999);
    const paused = await ask1(client);
    await advance(1);
    const back = await ask1(client);

    expect(trail(paused)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(trail(back)).toEqual(['primary:ok']);
  });

  it('show the pause in client.health()', async () => {
    useFakeClock();
    const client = limited({});
    mocks.primary.enqueue('eco-mini', { headers: exhausted });

    await ask1(client);

    expect(client.health().map((h) => [h.provider, h.rateLimitedUntil])).toEqual([
      ['primary', Date.now() + 2_000],
      ['secondary', undefined],
    ]);
  });

  it('pause until the later reset when both requests and tokens are at 0', async () => {
    useFakeClock();
    const client = limited({});
    mocks.primary.enqueue('eco-mini', {
      headers: { ...exhausted, 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '1m0.5s' },
    });

    await ask1(client);
    await advance(60_499);
    const paused = await ask1(client);
    await advance(1);
    const back = await ask1(client);

    expect(trail(paused)).toEqual(['primary:rate_limited', 'secondary:ok']);
    expect(trail(back)).toEqual(['primary:ok']);
  });

  it.each([
    ['a reset that is garbage', { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': 'soon' }],
    ['no reset', { 'x-ratelimit-remaining-requests': '0' }],
    ['requests left', { 'x-ratelimit-remaining-requests': '12', 'x-ratelimit-reset-requests': '2s' }],
  ])('pause nothing with %s', async (_, headers) => {
    const client = limited({});
    mocks.primary.enqueue('eco-mini', { headers });

    await ask1(client);
    const next = await ask1(client);

    expect(trail(next)).toEqual(['primary:ok']);
  });

  it('pause for an hour at most', async () => {
    useFakeClock();
    const client = limited({});
    mocks.primary.enqueue('eco-mini', { headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '400h' } });

    await ask1(client);
    await advance(3_600_000);
    const next = await ask1(client);

    expect(trail(next)).toEqual(['primary:ok']);
  });

  it('are waited for with rateLimit.waitMs', async () => {
    useFakeClock();
    const client = limited({}, { rateLimit: { waitMs: 5_000 } }, true);
    mocks.primary.enqueue('eco-mini', { headers: exhausted });

    await ask1(client);
    const next = ask1(client);
    await advance(2_000);

    expect(trail(await next)).toEqual(['primary:ok']);
  });
});

describe('a rate-limit store that fails', () => {
  const failing = (behaviour: 'throw' | 'reject' | 'hang'): RateLimitStore => ({
    acquire: () => {
      if (behaviour === 'throw') throw new Error(`store exploded (${keys.primary})`);
      return behaviour === 'reject' ? Promise.reject(new Error('store is down')) : new Promise(() => {});
    },
    settle: () => {},
  });

  it.each([
    ['throws', 'throw', 'store exploded ([redacted])'],
    ['rejects', 'reject', 'store is down'],
    ['never answers', 'hang', "The rate limit store did not answer 'acquire' within 250 ms."],
  ] as const)('that %s lets the call through with rateLimit:error, counted in this process', async (_, behaviour, message) => {
    useFakeClock();
    const client = limited({ primary: { rpm: 1 } }, { rateLimit: { store: failing(behaviour) } });
    const events = recordEvents(client);

    const first = ask1(client);
    await advance(250);
    const firstResult = await first;
    const second = ask1(client);
    await advance(250);
    const secondResult = await second;

    expect(trail(firstResult)).toEqual(['primary:ok']);
    expect(trail(secondResult)).toEqual(['primary:rate_limited', 'secondary:ok']); // the local count holds the limit
    const errors = events.flatMap((e) => (e.name === 'rateLimit:error' ? [e.payload] : []));
    expect(errors[0]).toEqual({
      requestId: firstResult.requestId,
      operation: 'chat',
      model: 'eco-mini',
      provider: 'primary',
      action: 'acquire',
      error: { message },
    });
  });

  it('reports a settle that fails, after the call', async () => {
    const memory = new MemoryRateLimitStore();
    const store: RateLimitStore = {
      acquire: (...args) => memory.acquire(...args),
      settle: () => Promise.reject(new Error('read-only replica')),
    };
    const client = limited({ primary: { tpm: 10_000 } }, { rateLimit: { store } });
    const reported = new Promise((resolve) => client.on('rateLimit:error', resolve));

    const result = await ask1(client);

    await expect(reported).resolves.toMatchObject({
      requestId: result.requestId,
      action: 'settle',
      error: { message: 'read-only replica' },
    });
  });
});

describe('MemoryRateLimitStore', () => {
  it('counts per key over a sliding 60 s, in one-second buckets, and says when there is room again', () => {
    useFakeClock(); // at a whole second
    const store = new MemoryRateLimitStore();

    expect(store.acquire('p/m', 0, { rpm: 2 })).toMatchObject({ ok: true });
    vi.advanceTimersByTime(10_500);
    expect(store.acquire('p/m', 0, { rpm: 2 })).toMatchObject({ ok: true });
    expect(store.acquire('p/other', 0, { rpm: 2 })).toMatchObject({ ok: true });
    expect(store.acquire('p/m', 0, { rpm: 2 })).toEqual({ ok: false, retryInMs: 49_500 });
    vi.advanceTimersByTime(49_500);
    expect(store.acquire('p/m', 0, { rpm: 2 })).toMatchObject({ ok: true });
  });

  it('settles a grant to its real tokens, and leaves alone a grant that has left the window', () => {
    useFakeClock();
    const store = new MemoryRateLimitStore();
    const grant = store.acquire('p/m', 100, { tpm: 150 });
    if (!grant.ok) throw new Error('refused');

    expect(store.acquire('p/m', 100, { tpm: 150 }).ok).toBe(false);
    store.settle('p/m', grant.second, -90);
    expect(store.acquire('p/m', 100, { tpm: 150 }).ok).toBe(true);
    vi.advanceTimersByTime(60_000);
    store.settle('p/m', grant.second, 1_000);
    expect(store.acquire('p/m', 150, { tpm: 150 }).ok).toBe(true);
  });
});

describe('invalid limits', () => {
  const define = (limits: unknown) => () => catalogWith({ primary: limits as ModelLimits });

  it.each([
    [{ rpm: 0 }, 'models[0].limits.rpm'],
    [{ tpm: -5 }, 'models[0].limits.tpm'],
    [{ maxConcurrent: 1.5 }, 'models[0].limits.maxConcurrent'],
    [{ rpm: '500' }, 'models[0].limits.rpm'],
    [{ rps: 5 }, 'models[0].limits.rps'],
    [5, 'models[0].limits'],
  ])('%j is a ConfigError naming %s', (limits, field) => {
    expect(define(limits)).toThrow(ConfigError);
    expect(define(limits)).toThrow(expect.objectContaining({ field }));
  });

  it.each([
    [{ waitMs: -1 }, 'rateLimit.waitMs'],
    [{ waitMs: '100' }, 'rateLimit.waitMs'],
    [{ store: {} }, 'rateLimit.store'],
    [{ wait: 100 }, 'rateLimit.wait'],
    ['fast', 'rateLimit'],
  ])('rateLimit %j is a ConfigError naming %s', (rateLimit, field) => {
    const make = () => createTieredClient({ catalog: catalogWith({}), rateLimit } as unknown as TieredClientOptions);

    expect(make).toThrow(ConfigError);
    expect(make).toThrow(expect.objectContaining({ field }));
  });
});
