import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AllModelsFailedError,
  ConfigError,
  createTieredClient,
  defineCatalog,
  MemoryBudgetStore,
  type TieredClientOptions,
} from '../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';
import { ask, recordEvents } from './fleet.js';
import { nextEvent } from './support/clock.js';

/*
 * Three providers, one mock each, one region each (think: three regional endpoints):
 *   economy  eco-mini   on us (us-east), on ap (ap-south); eco-legacy on ap, with no region
 *   warm     warm-std   on us (us-east), on eu (eu-west); serves the Responses API too
 *   hot      hot-max    on us (us-east), on eu (eu-west)
 *   embed-small (embeddings) on us (us-east), on eu (eu-west)
 * Catalog order puts us first everywhere: a test that lands elsewhere shows a region at work.
 */
const keys = { us: 'sk-test-us-4f1d0c9a7b2e', eu: 'sk-test-eu-93b7e2d1c0aa', ap: 'sk-test-ap-0c9a7b2e4f1d' } as const;
type Region = keyof typeof keys;

async function startRegions() {
  const mocks = {
    us: await startMockOpenAI({ apiKey: keys.us }),
    eu: await startMockOpenAI({ apiKey: keys.eu }),
    ap: await startMockOpenAI({ apiKey: keys.ap }),
  };
  const chat = { inputCostPerMTok: 1, outputCostPerMTok: 4, contextWindow: 128_000 } as const;
  const catalog = defineCatalog({
    providers: {
      us: { apiKey: keys.us, baseURL: mocks.us.url },
      eu: { apiKey: keys.eu, baseURL: mocks.eu.url },
      ap: { apiKey: keys.ap, baseURL: mocks.ap.url },
    },
    tiers: ['economy', 'warm', 'hot'],
    models: [
      { ...chat, id: 'eco-mini', provider: 'us', tier: 'economy', region: 'us-east', inputCostPerMTok: 0.1 },
      { ...chat, id: 'eco-mini', provider: 'ap', tier: 'economy', region: 'ap-south', inputCostPerMTok: 0.1 },
      { ...chat, id: 'eco-legacy', provider: 'ap', tier: 'economy', inputCostPerMTok: 0.1 },
      { ...chat, id: 'warm-std', provider: 'us', tier: 'warm', region: 'us-east', capabilities: ['responses'] },
      { ...chat, id: 'warm-std', provider: 'eu', tier: 'warm', region: 'eu-west', capabilities: ['responses'] },
      { ...chat, id: 'hot-max', provider: 'us', tier: 'hot', region: 'us-east', inputCostPerMTok: 5 },
      { ...chat, id: 'hot-max', provider: 'eu', tier: 'hot', region: 'eu-west', inputCostPerMTok: 5 },
      {
        id: 'embed-small',
        provider: 'us',
        tier: 'economy',
        region: 'us-east',
        inputCostPerMTok: 0.02,
        contextWindow: 8_191,
        capabilities: ['embeddings'],
      },
      {
        id: 'embed-small',
        provider: 'eu',
        tier: 'economy',
        region: 'eu-west',
        inputCostPerMTok: 0.02,
        contextWindow: 8_191,
        capabilities: ['embeddings'],
      },
    ],
  });
  const clients: { close(): Promise<void> }[] = [];
  const client = (options: Omit<TieredClientOptions<typeof catalog>, 'catalog'> = {}) => {
    const made = createTieredClient({ catalog, ...options, retry: { retries: 0, minTimeoutMs: 0, maxTimeoutMs: 0, ...options.retry } });
    clients.push(made);
    return made;
  };
  const close = async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(Object.values(mocks).map((m) => m.close()));
  };
  return { mocks, catalog, client, close };
}

let world: Awaited<ReturnType<typeof startRegions>>;
beforeEach(async () => {
  world = await startRegions();
});
afterEach(() => world.close());

/** Every request the mocks saw, as `provider/model`, provider by provider. */
const served = () =>
  (Object.entries(world.mocks) as [Region, MockOpenAI][]).flatMap(([provider, mock]) => mock.requests.map((r) => `${provider}/${r.model}`));
const failing = (...deployments: string[]) => {
  for (const d of deployments) {
    const [provider, model] = d.split('/') as [Region, string];
    world.mocks[provider].setReply(model, { status: 503 });
  }
};
const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe("a call's own region", () => {
  it('keeps the call in that region across fallback', async () => {
    failing('eu/warm-std');

    const result = await world.client().tieredChat({ model: 'warm', messages: ask() }, { region: 'eu-west' });

    expect([result.provider, result.model]).toEqual(['eu', 'hot-max']);
    expect(served()).toEqual(['eu/warm-std', 'eu/hot-max']);
  });

  it('takes a list of regions: any of them, never another', async () => {
    failing('ap/eco-mini');

    const result = await world.client().tieredChat({ model: 'economy', messages: ask() }, { region: ['ap-south', 'eu-west'] });

    expect([result.provider, result.model]).toEqual(['eu', 'warm-std']);
    expect(served()).toEqual(['eu/warm-std', 'ap/eco-mini']);
  });

  it('never reaches an entry with no region', async () => {
    const client = world.client({ fallback: 'none' });

    const error = await caught(client.tieredChat({ model: 'eco-legacy', messages: ask() }, { region: 'ap-south' }));

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'options.region' });
    expect((error as Error).message).toContain('(no region)');
    expect(served()).toEqual([]);
  });

  it("holds for the tier 'auto' picks", async () => {
    const client = world.client({ router: () => 'warm' });

    const result = await client.tieredChat({ model: 'auto', messages: ask() }, { region: 'eu-west' });

    expect([result.tier, result.provider]).toEqual(['warm', 'eu']);
  });

  it('holds for a budget downgrade to the cheapest tier', async () => {
    const client = world.client({ budget: { limitUsd: 0.00001, windowMs: 60_000, onExceeded: 'downgrade' } });

    const result = await client.tieredChat(
      { model: 'hot', messages: ask(), max_completion_tokens: 1_000 },
      { region: ['eu-west', 'ap-south'] },
    );

    expect([result.tier, result.provider]).toEqual(['economy', 'ap']);
    expect(served()).toEqual(['ap/eco-mini']);
  });

  it('holds for quality escalation: the next tier up is chosen in the region', async () => {
    world.mocks.eu.setReply('warm-std', { content: '' });

    const result = await world.client({ qualityEscalation: true }).tieredChat({ model: 'warm', messages: ask() }, { region: 'eu-west' });

    expect([result.tier, result.provider]).toEqual(['hot', 'eu']);
    expect(served()).toEqual(['eu/warm-std', 'eu/hot-max']);
  });

  it('holds for embeddings', async () => {
    const response = await world.client().embeddings.create({ model: 'embed-small', input: 'hello' }, { region: 'eu-west' });

    expect(response.data).toHaveLength(1);
    expect(served()).toEqual(['eu/embed-small']);
  });

  it('holds for the Responses API', async () => {
    await world.client().responses.create({ model: 'warm', input: 'Hi!' }, { region: 'eu-west' });

    expect(served()).toEqual(['eu/warm-std']);
  });

  it('never sends the prompt to a semantic cache embedding model elsewhere', async () => {
    const client = world.client({ cache: { semantic: { embeddingModel: 'embed-small' } } });

    await client.tieredChat({ model: 'warm', messages: ask() }, { region: 'eu-west' });

    expect(served()).toEqual(['eu/warm-std']);
  });

  it("keeps a shadow in the sampled call's region", async () => {
    const client = world.client({ shadow: { sampleRate: 1, model: 'hot', judge: () => 1 } });
    const shadowed = nextEvent(client, 'shadow:result');

    await client.tieredChat({ model: 'warm', messages: ask() }, { region: 'eu-west' });
    await shadowed;

    expect(served()).toEqual(['eu/warm-std', 'eu/hot-max']);
  });

  it('never sends the prompt to a classifier elsewhere: the heuristic decides', async () => {
    const client = world.client({ classifier: { model: 'eco-mini' } });
    const routed = nextEvent(client, 'route');

    await client.tieredChat({ model: 'auto', messages: ask() }, { region: 'eu-west' });

    expect(await routed).toMatchObject({ by: 'heuristic', reason: expect.stringContaining("outside the call's region") });
    expect(served().filter((s) => !s.startsWith('eu/'))).toEqual([]);
  });
});

describe("the client's region preference", () => {
  it('puts deployments of the preferred region first within a tier, whatever the load balancing', async () => {
    const client = world.client({ region: 'eu-west', loadBalancing: 'weighted' });

    for (let i = 0; i < 5; i++) {
      const result = await client.tieredChat({ model: 'warm', messages: ask() });
      expect(result.provider).toBe('eu');
    }
  });

  it('is a preference: the other regions of the tier still come before the next tier', async () => {
    failing('eu/warm-std');

    const result = await world.client({ region: 'eu-west' }).tieredChat({ model: 'warm', messages: ask() });

    expect([result.provider, result.model]).toEqual(['us', 'warm-std']);
  });

  it('never moves a deployment into a pricier tier: a cheaper tier elsewhere still answers first', async () => {
    const result = await world.client({ region: 'eu-west' }).tieredChat({ model: 'economy', messages: ask() });

    expect([result.tier, result.provider]).toEqual(['economy', 'us']);
    expect(served()).toEqual(['us/eco-mini']);
  });

  it('orders by the list given: the second region before the rest', async () => {
    const result = await world.client({ region: ['eu-west', 'ap-south'] }).tieredChat({ model: 'economy', messages: ask() });

    expect(result.provider).toBe('ap');
  });

  it("holds within a call's own fallback list", async () => {
    failing('us/eco-mini', 'ap/eco-mini', 'ap/eco-legacy');

    const result = await world.client({ region: 'eu-west' }).tieredChat({ model: 'economy', messages: ask() }, { fallback: ['hot'] });

    expect([result.provider, result.model]).toEqual(['eu', 'hot-max']);
  });
});

describe('regions.only', () => {
  it('never leaves those regions, even when everything there fails', async () => {
    failing('eu/warm-std', 'eu/hot-max');

    const error = await caught(world.client({ regions: { only: ['eu-west'] } }).tieredChat({ model: 'warm', messages: ask() }));

    expect(AllModelsFailedError.isInstance(error)).toBe(true);
    expect(served()).toEqual(['eu/warm-std', 'eu/hot-max']);
  });

  it('keeps embeddings there too', async () => {
    await world.client({ regions: { only: ['eu-west'] } }).embeddings.create({ model: 'embed-small', input: 'hello' });

    expect(served()).toEqual(['eu/embed-small']);
  });

  it('refuses a tier it leaves empty, naming regions.only, before any request', async () => {
    const client = world.client({ regions: { only: ['eu-west'] } });

    const error = await caught(client.tieredChat({ model: 'economy', messages: ask() }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: 'regions.only' });
    expect((error as Error).message).toContain("served in 'us-east', 'ap-south', (no region)");
    expect(served()).toEqual([]);
  });

  it("embeds the semantic cache's requests there", async () => {
    const client = world.client({ regions: { only: ['eu-west'] }, cache: { semantic: { embeddingModel: 'embed-small' } } });

    await client.tieredChat({ model: 'warm', messages: ask() });

    expect(served()).toEqual(['eu/embed-small', 'eu/warm-std']);
  });

  it('picks the classifier among the models there', async () => {
    const client = world.client({ regions: { only: ['ap-south', 'eu-west'] }, classifier: {} });

    await client.tieredChat({ model: 'auto', messages: ask() });

    expect(world.mocks.us.requests).toEqual([]);
    expect(world.mocks.ap.requests.length).toBeGreaterThan(0);
  });

  it.each([
    [{ regions: { only: ['mars'] } }, 'regions.only[0]'],
    [{ regions: { only: [] } }, 'regions.only'],
    [{ regions: { only: 'eu-west' } }, 'regions.only'],
    [{ region: 'mars' }, 'region'],
    [{ region: ['eu-west', 'mars'] }, 'region[1]'],
    [{ region: 'us-east', regions: { only: ['eu-west'] } }, 'region'],
    [{ regions: { only: ['eu-west'] }, unknownModels: 'passthrough' }, 'unknownModels'],
    [{ regions: { only: ['eu-west'] }, classifier: { model: 'eco-mini' } }, 'regions.only'],
    [{ regions: { only: ['eu-west'] }, shadow: { sampleRate: 1, model: 'eco-mini' } }, 'regions.only'],
  ])('are checked at construction: %o', (options, field) => {
    let error: unknown;
    try {
      world.client(options as never);
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field });
    // Known options, each checked for what it says.
    expect((error as Error).message).not.toContain('not a known option');
  });

  it('refuses a misspelt key of regions', () => {
    expect(() => world.client({ regions: { except: ['eu-west'] } as never })).toThrow(expect.objectContaining({ field: 'regions.except' }));
  });

  it('refuses regions that leave the client no chat model', () => {
    const catalog = defineCatalog({
      providers: { us: { apiKey: keys.us, baseURL: world.mocks.us.url } },
      tiers: ['economy'],
      models: [
        {
          id: 'eco-mini',
          provider: 'us',
          tier: 'economy',
          region: 'us-east',
          inputCostPerMTok: 0.1,
          outputCostPerMTok: 0.4,
          contextWindow: 16_000,
        },
        {
          id: 'embed-small',
          provider: 'us',
          tier: 'economy',
          region: 'eu-west',
          inputCostPerMTok: 0.02,
          contextWindow: 8_191,
          capabilities: ['embeddings'],
        },
      ],
    });

    expect(() => createTieredClient({ catalog, regions: { only: ['eu-west'] } })).toThrow(
      expect.objectContaining({ field: 'regions.only', message: expect.stringContaining("no chat model: the catalog's are in 'us-east'") }),
    );
  });
});

describe('constraints that leave no deployment', () => {
  it('name options.region, before any request, the cache or the budget', async () => {
    const store = new MemoryBudgetStore();
    const client = world.client({ cache: {}, budget: { limitUsd: 10, windowMs: 60_000, store } });
    const events = recordEvents(client);

    const error = await caught(client.tieredChat({ model: 'hot', messages: ask() }, { region: 'ap-south' }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: 'options.region' });
    expect((error as Error).message).toContain("they are in 'us-east', 'eu-west'");
    expect(events.map((e) => e.name)).toEqual(['request:start', 'request:error']);
    expect(await store.spent('', 60_000)).toBe(0);
    expect(served()).toEqual([]);
  });

  it("name the call's fallback when the client's would have reached the region", async () => {
    const error = await caught(world.client().tieredChat({ model: 'economy', messages: ask() }, { region: 'eu-west', fallback: 'none' }));

    expect(error).toMatchObject({ field: 'options.fallback' });
    expect(served()).toEqual([]);
  });

  it('name options.region when no deployment is both in the region and on an allowed provider', async () => {
    const error = await caught(
      world.client().tieredChat({ model: 'hot', messages: ask() }, { region: 'eu-west', providers: { only: ['us'] } }),
    );

    expect(error).toMatchObject({ field: 'options.region' });
    expect((error as Error).message).toContain("on a provider the call allows; in 'eu-west' it is on 'eu'");
    expect(served()).toEqual([]);
  });

  it('name providers.only when the providers alone leave none', async () => {
    const error = await caught(
      world.client().tieredChat({ model: 'hot', messages: ask() }, { region: ['eu-west', 'us-east'], providers: { only: ['ap'] } }),
    );

    expect(error).toMatchObject({ field: 'options.providers.only' });
    expect(served()).toEqual([]);
  });

  it('fail a stream as create() would', async () => {
    const error = await caught(
      world.client().chat.completions.create({ model: 'hot', messages: ask(), stream: true }, { region: 'ap-south' }),
    );

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'options.region' });
    expect((error as Error).message).toContain("is in 'ap-south'");
    expect(served()).toEqual([]);
  });

  it("fail 'auto' without asking the router when no tier is served there", async () => {
    let asked = false;
    const client = world.client({ regions: { only: ['ap-south', 'eu-west'] }, router: () => ((asked = true), 'economy') });

    const error = await caught(client.tieredChat({ model: 'auto', messages: ask() }, { region: 'eu-west', providers: { only: ['ap'] } }));

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'options.region' });
    expect(asked).toBe(false);
  });

  it('name an embeddings call whose region has no deployment of the model', async () => {
    const error = await caught(world.client().embeddings.create({ model: 'embed-small', input: 'hi' }, { region: 'ap-south' }));

    expect(error).toMatchObject({ field: 'options.region' });
    expect((error as Error).message).toContain("they are in 'us-east', 'eu-west'");
    expect(served()).toEqual([]);
  });
});

describe('unknown regions in a call', () => {
  it.each([
    ['mars', 'options.region'],
    [['eu-west', 'mars'], 'options.region[1]'],
    [[], 'options.region'],
    [42, 'options.region'],
  ])('are refused, listing the catalog regions: %o', async (region, field) => {
    const error = await caught(world.client().tieredChat({ model: 'warm', messages: ask() }, { region: region as never }));

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field, hint: "The catalog's regions: us-east, ap-south, eu-west." });
    expect(served()).toEqual([]);
  });

  it("refuse a region outside the client's regions.only", async () => {
    const client = world.client({ regions: { only: ['eu-west'] } });

    const error = await caught(client.tieredChat({ model: 'warm', messages: ask() }, { region: 'us-east' }));

    expect(error).toMatchObject({ field: 'options.region', message: expect.stringContaining('outside') });
    expect(served()).toEqual([]);
  });
});
