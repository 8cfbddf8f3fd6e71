import OpenAI from 'openai';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createTieredClient,
  defineCatalog,
  MemoryRateLimitStore,
  type AffinityOption,
  type HealthProbeEvent,
  type RateLimitErrorEvent,
  type RateLimitStore,
  type TieredChatParams,
  type TieredRequestOptions,
} from '../src/index.js';
import { RedisRateLimitStore } from '../src/redis/index.js';

const entry = { tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1_000 } as const;
const catalog = defineCatalog({
  providers: {
    eu: {
      apiKey: 'sk-test',
      healthCheck: { intervalMs: 15_000, timeoutMs: 2_000, kind: 'chat' },
      connections: { max: 8, keepAliveMs: 30_000 },
    },
    azure: { client: new OpenAI({ apiKey: 'sk-test' }), healthCheck: { intervalMs: 15_000 } },
  },
  tiers: ['economy'],
  models: [
    { id: 'm', provider: 'eu', region: 'eu-west', limits: { rpm: 500, tpm: 200_000, maxConcurrent: 8 }, ...entry },
    { id: 'm', provider: 'azure', region: 'us-east', limits: { rpm: 60 }, ...entry },
  ],
});

describe('routing for fleets: types', () => {
  it('takes affinity as conversation, false, or a key function of the call', () => {
    createTieredClient({ catalog, affinity: 'conversation' });
    createTieredClient({ catalog, affinity: false });
    createTieredClient({
      catalog,
      affinity: (params, options) => {
        expectTypeOf(params).toEqualTypeOf<TieredChatParams>();
        expectTypeOf(options).toEqualTypeOf<TieredRequestOptions>();
        return typeof options.metadata?.['tenant'] === 'string' ? options.metadata['tenant'] : undefined;
      },
    });
    expectTypeOf<AffinityOption>().toEqualTypeOf<
      'conversation' | false | ((params: TieredChatParams, options: TieredRequestOptions) => string | undefined)
    >();
    // @ts-expect-error no 'sticky' mode
    createTieredClient({ catalog, affinity: 'sticky' });
    // @ts-expect-error true is not a mode: the default is 'conversation'
    createTieredClient({ catalog, affinity: true });
    // @ts-expect-error a key is a string
    createTieredClient({ catalog, affinity: () => 42 });
  });

  it('takes limits per catalog entry: rpm, tpm and maxConcurrent, numbers', () => {
    defineCatalog({
      providers: { eu: { apiKey: 'k' } },
      // @ts-expect-error a limit is a number
      models: [{ id: 'm', provider: 'eu', limits: { rpm: '500' }, ...entry }],
      tiers: ['economy'],
    });
    defineCatalog({
      providers: { eu: { apiKey: 'k' } },
      tiers: ['economy'],
      // @ts-expect-error rps is not a limit
      models: [{ id: 'm', provider: 'eu', limits: { rps: 5 }, ...entry }],
    });
  });

  it('takes rateLimit: a wait and a store, in memory, in Redis or your own', () => {
    createTieredClient({ catalog, rateLimit: { waitMs: 2_000, store: new MemoryRateLimitStore() } });
    createTieredClient({ catalog, rateLimit: { store: new RedisRateLimitStore({ redis: 'redis://127.0.0.1:6379' }) } });
    expectTypeOf<RedisRateLimitStore>().toMatchTypeOf<RateLimitStore>();
    const own: RateLimitStore = { acquire: () => ({ ok: false, retryInMs: 1_000 }), settle: () => {} };
    createTieredClient({ catalog, rateLimit: { store: own } });
    // @ts-expect-error a store counts with acquire and settle
    createTieredClient({ catalog, rateLimit: { store: {} } });
    // @ts-expect-error waitMs is a number of ms
    createTieredClient({ catalog, rateLimit: { waitMs: '2s' } });
  });

  it('takes healthCheck with a required intervalMs and a kind of models or chat', () => {
    defineCatalog({
      // @ts-expect-error intervalMs is required
      providers: { eu: { apiKey: 'k', healthCheck: { timeoutMs: 1_000 } } },
      tiers: ['economy'],
      models: [{ id: 'm', provider: 'eu', ...entry }],
    });
    defineCatalog({
      // @ts-expect-error kind is 'models' or 'chat'
      providers: { eu: { apiKey: 'k', healthCheck: { intervalMs: 15_000, kind: 'ping' } } },
      tiers: ['economy'],
      models: [{ id: 'm', provider: 'eu', ...entry }],
    });
  });

  it('takes connections on a provider the client makes, never beside a client of your own', () => {
    defineCatalog({
      // @ts-expect-error a client of your own keeps its own connections
      providers: { azure: { client: new OpenAI({ apiKey: 'k' }), connections: { max: 8 } } },
      tiers: ['economy'],
      models: [{ id: 'm', provider: 'azure', ...entry }],
    });
  });

  it('takes a region per call, one or a list (any string: the catalog type does not carry its regions)', () => {
    const client = createTieredClient({ catalog, region: 'eu-west', regions: { only: ['eu-west', 'us-east'] } });
    void client.tieredChat({ model: 'economy', messages: [] }, { region: ['eu-west', 'us-east'] });
    void client.tieredChat({ model: 'economy', messages: [] }, { region: 'mars' }); // a ConfigError at run time
    // @ts-expect-error regions.only is required
    createTieredClient({ catalog, regions: {} });
  });

  it('types the rateLimit:error and health:probe payloads through client.on', () => {
    const client = createTieredClient({ catalog });
    client.on('rateLimit:error', (event) => {
      expectTypeOf(event).toEqualTypeOf<RateLimitErrorEvent>();
      expectTypeOf(event.action).toEqualTypeOf<'acquire' | 'settle'>();
      expectTypeOf(event.model).toBeString();
      expectTypeOf(event.provider).toBeString();
      expectTypeOf(event.error.message).toBeString();
    });
    client.on('health:probe', (event) => {
      expectTypeOf(event).toEqualTypeOf<HealthProbeEvent>();
      expectTypeOf(event.model).toBeString();
      expectTypeOf(event.provider).toBeString();
      expectTypeOf(event.ok).toBeBoolean();
      expectTypeOf(event.latencyMs).toBeNumber();
      expectTypeOf(event.kind).toEqualTypeOf<'models' | 'chat'>();
      expectTypeOf(event.costUsd).toEqualTypeOf<number | undefined>();
    });
  });
});
