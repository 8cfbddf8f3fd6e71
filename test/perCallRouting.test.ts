import { describe, expect, it, vi } from 'vitest';
import {
  AllModelsFailedError,
  BudgetExceededError,
  ConfigError,
  createTieredClient,
  defineCatalog,
  MemoryBudgetStore,
  type BudgetStore,
  type CacheStore,
} from '../src/index.js';
import { ask, keys, recordEvents, useFleet, type Fleet } from './fleet.js';

// The fleet: economy = eco-mini on primary and on secondary, warm = warm-std on primary, hot = hot-max on secondary.
const fleet = useFleet();

const served = (fleet: Fleet) => [
  ...fleet.primary.requests.map((r) => `primary/${r.model}`),
  ...fleet.secondary.requests.map((r) => `secondary/${r.model}`),
];
const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );
const failing = (fleet: Fleet, ...deployments: string[]) => {
  for (const d of deployments) {
    const [provider, model] = d.split('/') as ['primary' | 'secondary', string];
    fleet[provider].setReply(model, { status: 503 });
  }
};

describe("a call's own fallback", () => {
  it("'none' keeps the call on its tier, whatever the client's fallback", async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    failing(fleet, 'primary/eco-mini', 'secondary/eco-mini');

    const error = await caught(client.tieredChat({ model: 'economy', messages: ask() }, { fallback: 'none' }));

    expect(AllModelsFailedError.isInstance(error)).toBe(true);
    expect(served(fleet).sort()).toEqual(['primary/eco-mini', 'secondary/eco-mini']);
  });

  it("'none' on a model id keeps the call on that model, on every provider that serves it", async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    failing(fleet, 'primary/eco-mini');

    const result = await client.tieredChat({ model: 'eco-mini', messages: ask() }, { fallback: 'none' });

    expect([result.provider, result.model]).toEqual(['secondary', 'eco-mini']);
  });

  it("'escalate' goes up the tiers for a client whose fallback is 'none'", async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 0 } });
    failing(fleet, 'primary/eco-mini', 'secondary/eco-mini');

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { fallback: 'escalate' });

    expect(result.model).toBe('warm-std');
  });

  it('a list of tiers is tried in its order after the requested tier', async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    failing(fleet, 'primary/eco-mini', 'secondary/eco-mini');

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { fallback: ['hot', 'warm'] });

    expect(result.model).toBe('hot-max');
    expect(fleet.primary.requestsFor('warm-std')).toHaveLength(0);
  });

  it('names a tier the catalog does not have, before any request', async () => {
    const client = fleet.client();

    const error = await caught(client.tieredChat({ model: 'economy', messages: ask() }, { fallback: ['hot', 'hott' as 'hot'] }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: 'options.fallback[1]', hint: 'Use one of: economy, warm, hot.' });
    expect(served(fleet)).toEqual([]);
  });

  it('refuses a fallback of the wrong kind', async () => {
    const error = await caught(fleet.client().tieredChat({ model: 'economy', messages: ask() }, { fallback: 'up' as 'none' }));

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'options.fallback' });
  });
});

describe("a call's own providers", () => {
  it('only: keeps the call to those providers', async () => {
    const result = await fleet.client().tieredChat({ model: 'economy', messages: ask() }, { providers: { only: ['secondary'] } });

    expect(result.provider).toBe('secondary');
    expect(served(fleet)).toEqual(['secondary/eco-mini']);
  });

  it('ignore: skips those providers in every tier the call falls back to', async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    failing(fleet, 'secondary/eco-mini');

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { providers: { ignore: ['primary'] } });

    expect(result.model).toBe('hot-max');
    expect(served(fleet)).toEqual(['secondary/eco-mini', 'secondary/hot-max']);
  });

  it('order: puts those providers first among equal deployments, whatever the load balancing', async () => {
    const client = fleet.client({ loadBalancing: 'weighted' });

    for (let i = 0; i < 5; i++) {
      const result = await client.tieredChat({ model: 'economy', messages: ask() }, { providers: { order: ['secondary'] } });
      expect(result.provider).toBe('secondary');
    }
  });

  it("order: never moves a deployment into another tier's place", async () => {
    const result = await fleet.client().tieredChat({ model: 'warm', messages: ask() }, { providers: { order: ['secondary'] } });

    expect([result.provider, result.model]).toEqual(['primary', 'warm-std']);
  });

  it("the eval's direct call: one model on one provider, nothing else", async () => {
    const client = fleet.client({ retry: { retries: 0 }, qualityEscalation: true });
    failing(fleet, 'primary/eco-mini');
    const direct = { fallback: 'none', providers: { only: ['primary'] }, cache: false, qualityEscalation: false } as const;

    const error = await caught(client.tieredChat({ model: 'eco-mini', messages: ask() }, direct));

    expect(AllModelsFailedError.isInstance(error)).toBe(true);
    expect(served(fleet)).toEqual(['primary/eco-mini']);
  });

  it.each([
    [{ only: ['tertiary'] }, 'options.providers.only[0]'],
    [{ order: ['primary', 'tertiary'] }, 'options.providers.order[1]'],
    [{ ignore: ['tertiary'] }, 'options.providers.ignore[0]'],
  ])('names an unknown provider and lists those of the catalog: %o', async (providers, field) => {
    const error = await caught(fleet.client().tieredChat({ model: 'economy', messages: ask() }, { providers }));

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field, hint: "The catalog's providers: primary, secondary." });
    expect(served(fleet)).toEqual([]);
  });

  it.each([
    ['a provider in both only and ignore', { only: ['primary'], ignore: ['primary'] }, 'options.providers.ignore[0]'],
    ['an unknown key', { prefer: ['primary'] }, 'options.providers.prefer'],
    ['a list that is a string', { only: 'primary' }, 'options.providers.only'],
    ['providers that are not an object', ['primary'], 'options.providers'],
  ])('refuses %s', async (_what, providers, field) => {
    const error = await caught(fleet.client().tieredChat({ model: 'economy', messages: ask() }, { providers: providers as never }));

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field });
  });
});

describe('constraints that leave no deployment', () => {
  it('fail the call before any request, naming providers.only, the tier and where it is served', async () => {
    const client = fleet.client();
    const events = recordEvents(client);

    const error = await caught(client.tieredChat({ model: 'hot', messages: ask() }, { providers: { only: ['primary'] } }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: 'options.providers.only' });
    expect((error as Error).message).toContain("'hot'");
    expect((error as Error).message).toContain("they are on 'secondary'");
    expect(served(fleet)).toEqual([]);
    expect(events.map((e) => e.name)).toEqual(['request:start', 'request:error']);
  });

  it('name providers.ignore when ignoring is what emptied it', async () => {
    const error = await caught(fleet.client().tieredChat({ model: 'hot', messages: ask() }, { providers: { ignore: ['secondary'] } }));

    expect(error).toMatchObject({ field: 'options.providers.ignore' });
    expect(served(fleet)).toEqual([]);
  });

  it("name the call's fallback when the client's fallback would have reached an allowed provider", async () => {
    const options = { fallback: 'none', providers: { only: ['secondary'] } } as const;

    const error = await caught(fleet.client().tieredChat({ model: 'warm', messages: ask() }, options));

    expect(error).toMatchObject({ field: 'options.fallback' });
    expect((error as Error).message).toContain("keeps 'warm' on 'primary'");
    expect(served(fleet)).toEqual([]);
  });

  it('neither read nor fill the cache, nor reserve any budget', async () => {
    const cacheStore = spiedCache();
    const budgetStore = spiedBudget();
    const client = fleet.client({ cache: { store: cacheStore }, budget: { limitUsd: 10, windowMs: 60_000, store: budgetStore } });

    const error = await caught(client.tieredChat({ model: 'hot', messages: ask() }, { providers: { only: ['primary'] } }));

    expect(error).toMatchObject({ field: 'options.providers.only' });
    expect(cacheStore.get).not.toHaveBeenCalled();
    expect(cacheStore.set).not.toHaveBeenCalled();
    expect(budgetStore.reserve).not.toHaveBeenCalled();
    expect(served(fleet)).toEqual([]);
  });

  it('fail a stream as create() would, before any request', async () => {
    const client = fleet.client();

    const error = await caught(
      client.chat.completions.create({ model: 'hot', messages: ask(), stream: true }, { providers: { ignore: ['secondary'] } }),
    );

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'options.providers.ignore' });
    expect(served(fleet)).toEqual([]);
  });
});

describe('constraints wherever candidates are chosen', () => {
  it('hold for a stream', async () => {
    const stream = fleet.client().tieredChat({ model: 'economy', messages: ask(), stream: true }, { providers: { only: ['secondary'] } });

    const result = await stream.final();

    expect(result.provider).toBe('secondary');
    expect(served(fleet)).toEqual(['secondary/eco-mini']);
  });

  it("hold for the tier 'auto' chose", async () => {
    const client = fleet.client({ router: () => 'warm' });

    const result = await client.tieredChat({ model: 'auto', messages: ask() }, { providers: { ignore: ['primary'] } });

    expect([result.tier, result.provider]).toEqual(['hot', 'secondary']);
    expect(served(fleet)).toEqual(['secondary/hot-max']);
  });

  it("fail 'auto' once the router chose a tier they leave empty, before any request", async () => {
    const client = fleet.client({ router: () => 'warm' });

    const error = await caught(
      client.tieredChat({ model: 'auto', messages: ask() }, { fallback: 'none', providers: { only: ['secondary'] } }),
    );

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'options.fallback' });
    expect(served(fleet)).toEqual([]);
  });

  it("fail 'auto' without asking the router when no tier has a deployment left", async () => {
    const router = vi.fn(() => 'economy' as const);
    const client = fleet.client({ router });

    const error = await caught(client.tieredChat({ model: 'auto', messages: ask() }, { providers: { ignore: ['primary', 'secondary'] } }));

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'options.providers.ignore' });
    expect(router).not.toHaveBeenCalled();
  });

  it('hold for a budget downgrade to the cheapest tier', async () => {
    const client = fleet.client({ budget: { limitUsd: 0.00001, windowMs: 60_000, onExceeded: 'downgrade' } });

    const result = await client.tieredChat(
      { model: 'hot', messages: ask(), max_completion_tokens: 1_000 },
      { providers: { only: ['secondary'] } },
    );

    expect([result.tier, result.provider]).toEqual(['economy', 'secondary']);
    expect(served(fleet)).toEqual(['secondary/eco-mini']);
  });

  it('refuse a budget downgrade when the cheapest tier has no allowed deployment, as when it cannot serve', async () => {
    const catalog = defineCatalog({
      providers: {
        primary: { apiKey: keys.primary, baseURL: fleet.primary.url },
        secondary: { apiKey: keys.secondary, baseURL: fleet.secondary.url },
      },
      tiers: ['economy', 'hot'],
      models: [
        { id: 'eco-mini', provider: 'primary', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
        { id: 'hot-max', provider: 'secondary', tier: 'hot', inputCostPerMTok: 5, outputCostPerMTok: 20, contextWindow: 200_000 },
      ],
    });
    const client = createTieredClient({ catalog, budget: { limitUsd: 0.00001, windowMs: 60_000, onExceeded: 'downgrade' } });

    try {
      const error = await caught(
        client.tieredChat({ model: 'hot', messages: ask(), max_completion_tokens: 1_000 }, { providers: { only: ['secondary'] } }),
      );

      expect(error).toBeInstanceOf(BudgetExceededError);
      expect(served(fleet)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('hold for quality escalation: the next tier up is chosen among allowed providers', async () => {
    const client = fleet.client({ qualityEscalation: true });
    fleet.secondary.setReply('eco-mini', { content: '' });

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { providers: { ignore: ['primary'] } });

    expect([result.tier, result.provider]).toEqual(['hot', 'secondary']);
    expect(served(fleet)).toEqual(['secondary/eco-mini', 'secondary/hot-max']);
  });

  it("fallback 'none' means no quality escalation: the poor answer is served", async () => {
    const client = fleet.client({ qualityEscalation: true });
    fleet.primary.setReply('eco-mini', { content: '' });
    fleet.secondary.setReply('eco-mini', { content: '' });

    const result = await client.tieredChat({ model: 'eco-mini', messages: ask() }, { fallback: 'none', providers: { only: ['primary'] } });

    expect([result.tier, result.provider, result.text]).toEqual(['economy', 'primary', '']);
    expect(served(fleet)).toEqual(['primary/eco-mini']);
  });
});

function spiedCache(): CacheStore & { get: ReturnType<typeof vi.fn>; set: ReturnType<typeof vi.fn> } {
  const inner = new Map<string, string>();
  return {
    get: vi.fn((key: string) => inner.get(key)),
    set: vi.fn((key: string, value: string) => void inner.set(key, value)),
    delete: (key) => void inner.delete(key),
  };
}

function spiedBudget(): BudgetStore & { reserve: ReturnType<typeof vi.fn> } {
  const inner = new MemoryBudgetStore();
  return {
    reserve: vi.fn((key: string, amountUsd: number, limitUsd: number, windowMs: number) =>
      inner.reserve(key, amountUsd, limitUsd, windowMs),
    ),
    settle: (key, reservation, reservedUsd, actualUsd, windowMs) => inner.settle(key, reservation, reservedUsd, actualUsd, windowMs),
    record: (key, amountUsd, windowMs) => inner.record(key, amountUsd, windowMs),
    spent: (key, windowMs) => inner.spent(key, windowMs),
  };
}
