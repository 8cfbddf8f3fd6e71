import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ConfigError, costOf, defineCatalog, TieredError, type CatalogDefinition } from '../src/index.js';

const valid = {
  providers: { openai: { apiKey: 'sk-test-catalog' }, eu: { apiKey: 'sk-test-eu', baseURL: 'https://eu.example.test/v1' } },
  tiers: ['cold', 'hot'],
  models: [
    { id: 'small', provider: 'openai', tier: 'cold', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
    { id: 'big', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
    { id: 'big', provider: 'eu', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000, region: 'eu-west' },
  ],
} as const;

const embedding = {
  id: 'embed',
  provider: 'openai',
  tier: 'cold',
  inputCostPerMTok: 0.02,
  contextWindow: 8_191,
  capabilities: ['embeddings'],
} as const;

type Loose = { providers: Record<string, unknown>; tiers: unknown[]; models: Record<string, unknown>[] };
const loose = (): Loose => structuredClone(valid) as unknown as Loose;
const define = (definition: Loose) => () => defineCatalog(definition as unknown as CatalogDefinition);

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('defineCatalog()', () => {
  it('makes one deployment per model and provider, in catalog order', () => {
    const catalog = defineCatalog(valid);

    expect(catalog.deployments.map((d) => [d.key, d.tier, d.tierIndex])).toEqual([
      ['openai/small', 'cold', 0],
      ['openai/big', 'hot', 1],
      ['eu/big', 'hot', 1],
    ]);
    expect(Object.isFrozen(catalog.models[0])).toBe(true);
  });

  it('accepts a provider given as a ready OpenAI client', () => {
    const client = new OpenAI({ apiKey: 'sk-test-own', baseURL: 'http://127.0.0.1:9/v1' });
    const catalog = defineCatalog({ ...valid, providers: { ...valid.providers, mine: { client } } });

    expect(Object.keys(catalog.providers)).toEqual(['openai', 'eu', 'mine']);
  });

  it.each<[string, (d: Loose) => void, string]>([
    ['an unknown provider', (d) => void (d.models[0]!.provider = 'azure'), 'models[0].provider'],
    ['a negative price', (d) => void (d.models[1]!.inputCostPerMTok = -1), 'models[1].inputCostPerMTok'],
    ['a NaN price', (d) => void (d.models[0]!.outputCostPerMTok = Number.NaN), 'models[0].outputCostPerMTok'],
    ['an infinite price', (d) => void (d.models[0]!.inputCostPerMTok = Number.POSITIVE_INFINITY), 'models[0].inputCostPerMTok'],
    ['a missing price', (d) => void delete d.models[0]!.outputCostPerMTok, 'models[0].outputCostPerMTok'],
    ['a negative cached-input price', (d) => void (d.models[0]!.cachedInputCostPerMTok = -0.1), 'models[0].cachedInputCostPerMTok'],
    ['an empty tier name', (d) => void (d.tiers[0] = ''), 'tiers[0]'],
    ['a tier listed twice', (d) => void (d.tiers = ['cold', 'hot', 'cold']), 'tiers[2]'],
    ['a tier with no model', (d) => void (d.tiers = ['cold', 'warm', 'hot']), 'tiers[1]'],
    ['a model in an unknown tier', (d) => void (d.models[0]!.tier = 'lukewarm'), 'models[0].tier'],
    ['a duplicate deployment', (d) => void d.models.push({ ...d.models[0]! }), 'models[3]'],
    [
      'a provider with neither apiKey nor client',
      (d) => void (d.providers.eu = { baseURL: 'https://eu.example.test/v1' }),
      'providers.eu.apiKey',
    ],
    ['an unset environment variable as apiKey', (d) => void (d.providers.eu = { apiKey: undefined }), 'providers.eu.apiKey'],
    ['a baseURL that is not a URL', (d) => void (d.providers.eu = { apiKey: 'k', baseURL: 'eu.example' }), 'providers.eu.baseURL'],
    ['a zero context window', (d) => void (d.models[2]!.contextWindow = 0), 'models[2].contextWindow'],
    ['a fractional context window', (d) => void (d.models[2]!.contextWindow = 1.5), 'models[2].contextWindow'],
    ['a zero weight', (d) => void (d.models[2]!.weight = 0), 'models[2].weight'],
    ['an unknown capability', (d) => void (d.models[0]!.capabilities = ['telepathy']), 'models[0].capabilities'],
    ["a tier called 'auto'", (d) => void (d.tiers = ['auto', 'hot']), 'tiers[0]'],
    ['a model id that is also a tier name', (d) => void (d.models[0]!.id = 'hot'), 'models[0].id'],
    ['no models at all', (d) => void (d.models = []), 'models'],
    ['no providers at all', (d) => void (d.providers = {}), 'providers'],
    ["a misspelt top-level key ('tier' beside 'tiers')", (d) => void ((d as unknown as Record<string, unknown>).tier = 'hot'), 'tier'],
    ['an apiKey that is a number', (d) => void (d.providers.eu = { apiKey: 12345 }), 'providers.eu.apiKey'],
    ['a context window given as a string', (d) => void (d.models[0]!.contextWindow = '128000'), 'models[0].contextWindow'],
    [
      "'embeddings' listed with a chat capability",
      (d) => void (d.models[0]!.capabilities = ['embeddings', 'tools']),
      'models[0].capabilities',
    ],
    [
      'an embedding model with a negative output price',
      (d) => void d.models.push({ ...embedding, outputCostPerMTok: -1 }),
      'models[3].outputCostPerMTok',
    ],
    [
      'embedding models alone',
      (d) =>
        void (d.models = [
          { ...embedding, tier: 'cold' },
          { ...embedding, id: 'embed-large', tier: 'hot' },
        ]),
      'models',
    ],
  ])('rejects %s with a ConfigError naming the field', (_what, mutate, field) => {
    const definition = loose();
    mutate(definition);

    const error = configErrorOf(define(definition));

    expect(error.field).toBe(field);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(field)).toBe(true);
    expect(error.hint.length).toBeGreaterThan(10);
    expect(TieredError.isInstance(error)).toBe(true);
  });

  it.each<[string, (d: Loose) => void, string]>([
    ['a string where a number belongs', (d) => void (d.models[0]!.contextWindow = '128000'), 'got "128000"'],
    ['a string price', (d) => void (d.models[0]!.inputCostPerMTok = '2.5'), 'got "2.5"'],
    ['a string weight', (d) => void (d.models[0]!.weight = '1'), 'got "1"'],
    ['a number as apiKey', (d) => void (d.providers.eu = { apiKey: 12345 }), 'must be a string, got number'],
    ['an empty apiKey', (d) => void (d.providers.eu = { apiKey: ' ' }), 'is empty'],
    ['a misspelt top-level key', (d) => void ((d as unknown as Record<string, unknown>).tier = 'hot'), 'is not a known field'],
  ])('says what is wrong with %s', (_what, mutate, text) => {
    const definition = loose();
    mutate(definition);

    const { message } = configErrorOf(define(definition));

    expect(message).toContain(text);
    expect(message).not.toContain('missing');
  });

  it("takes an embedding model (capabilities: ['embeddings']) without an output price, even alone in its tier", () => {
    const catalog = defineCatalog({
      ...valid,
      tiers: ['cold', 'hot', 'vectors'],
      models: [...valid.models, { ...embedding, tier: 'vectors' }],
    });

    expect(catalog.deployments.at(-1)).toMatchObject({ key: 'openai/embed', tier: 'vectors', tierIndex: 2 });
    expect(costOf({ inputTokens: 1_000, outputTokens: 0, cachedInputTokens: 0 }, catalog.models.at(-1)!)).toBe(0.00002);
  });

  it('asks a chat model without an output price for one, saying only an embedding model may leave it out', () => {
    const definition = loose();
    delete definition.models[0]!.outputCostPerMTok;

    expect(configErrorOf(define(definition)).hint).toContain("capabilities: ['embeddings']");
  });

  it('never puts an API key in its errors', () => {
    const definition = loose();
    definition.providers.eu = { apiKey: 'sk-live-secret-value', client: new OpenAI({ apiKey: 'x', baseURL: 'http://127.0.0.1:9' }) };

    const error = configErrorOf(define(definition));

    expect(error.field).toBe('providers.eu');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('sk-live-secret-value');
  });
});

describe('costOf()', () => {
  it('prices prompt, cached prompt and completion tokens at their own rates', () => {
    const model = { inputCostPerMTok: 2, outputCostPerMTok: 8, cachedInputCostPerMTok: 0.5 };

    expect(costOf({ inputTokens: 1_000_000, outputTokens: 500_000, cachedInputTokens: 200_000 }, model)).toBeCloseTo(
      0.8 * 2 + 0.2 * 0.5 + 0.5 * 8,
      10,
    );
  });

  it('has no float noise: 13 + 7 tokens at $0.2 / $0.8 cost exactly $0.0000082', () => {
    expect(costOf({ inputTokens: 13, outputTokens: 7, cachedInputTokens: 0 }, { inputCostPerMTok: 0.2, outputCostPerMTok: 0.8 })).toBe(
      0.0000082,
    );
    expect(costOf({ inputTokens: 13, outputTokens: 7, cachedInputTokens: 0 }, { inputCostPerMTok: 0.1, outputCostPerMTok: 0.4 })).toBe(
      0.0000041,
    );
    expect(
      costOf(
        { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3 },
        { inputCostPerMTok: 0.2, cachedInputCostPerMTok: 0.05, outputCostPerMTok: 0.8 },
      ),
    ).toBe(0.00000735);
  });

  it('charges cached tokens at the input price when the model has no cached price', () => {
    expect(
      costOf({ inputTokens: 100, outputTokens: 0, cachedInputTokens: 100 }, { inputCostPerMTok: 3, outputCostPerMTok: 0 }),
    ).toBeCloseTo(300 / 1e6, 12);
  });
});
