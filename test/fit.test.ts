import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ContextWindowError, createTieredClient, defineCatalog } from '../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';

let mock: MockOpenAI;
beforeEach(async () => {
  mock = await startMockOpenAI();
});
afterEach(() => mock.close());

const clientFor = (mock: MockOpenAI, fallback: 'escalate' | 'none' = 'escalate') =>
  createTieredClient({
    fallback,
    catalog: defineCatalog({
      providers: { p: { apiKey: 'sk-test-fit', baseURL: mock.url } },
      tiers: ['economy', 'hot'],
      models: [
        {
          id: 'tiny',
          provider: 'p',
          tier: 'economy',
          inputCostPerMTok: 0.1,
          outputCostPerMTok: 0.2,
          contextWindow: 1_000,
          capabilities: [],
        },
        {
          id: 'small-tools',
          provider: 'p',
          tier: 'economy',
          inputCostPerMTok: 0.2,
          outputCostPerMTok: 0.4,
          contextWindow: 2_000,
          capabilities: ['tools'],
        },
        { id: 'gpt-4o', provider: 'p', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
      ],
    }),
  });
const words = (n: number) => 'lorem ipsum '.repeat(n);
const tools = [{ type: 'function' as const, function: { name: 'f', parameters: { type: 'object' } } }];

describe('context-window fit', () => {
  it('skips a deployment whose window cannot hold the prompt, without a call to it', async () => {
    const client = clientFor(mock);

    const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: words(600) }] }); // ~1,200 tokens

    expect(result.model).toBe('small-tools');
    expect(mock.requestsFor('tiny')).toHaveLength(0);
    await client.close();
  });

  it('counts the requested output too', async () => {
    const client = clientFor(mock);

    const result = await client.tieredChat({
      model: 'economy',
      messages: [{ role: 'user', content: 'short' }],
      max_completion_tokens: 1_500,
    });

    expect(result.model).toBe('small-tools');
    await client.close();
  });

  it('throws ContextWindowError before any network call when nothing fits', async () => {
    const client = clientFor(mock, 'none');

    const error = await client
      .tieredChat({ model: 'economy', messages: [{ role: 'user', content: words(2_000) }] }, { cache: false })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ContextWindowError);
    expect(error).toMatchObject({ code: 'CONTEXT_WINDOW_EXCEEDED', requested: 'economy', largestContextWindow: 2_000 });
    expect((error as ContextWindowError).promptTokens).toBeGreaterThan(2_000);
    expect(mock.requests).toHaveLength(0);
    await client.close();
  });

  it('counts tool definitions too', async () => {
    const client = clientFor(mock);
    const bulky = [{ type: 'function' as const, function: { name: 'f', description: words(800), parameters: { type: 'object' } } }];

    const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'hi' }], tools: bulky });

    expect(result.model).toBe('gpt-4o'); // ~2,400 tokens of definitions do not fit small-tools' 2,000
    await client.close();
  });

  it('reports tool definitions as prompt, and only the requested output as output, when nothing fits', async () => {
    const client = clientFor(mock, 'none');
    const bulky = [{ type: 'function' as const, function: { name: 'f', description: words(800), parameters: { type: 'object' } } }];

    const error = await client
      .tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'hi' }], tools: bulky, max_completion_tokens: 10 })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'CONTEXT_WINDOW_EXCEEDED', maxOutputTokens: 10 });
    expect((error as ContextWindowError).promptTokens).toBeGreaterThan(2_000);
    await client.close();
  });

  it('lets escalation reach a larger model', async () => {
    const client = clientFor(mock);

    const result = await client.tieredChat({ model: 'tiny', messages: [{ role: 'user', content: words(2_000) }] });

    expect(result.model).toBe('gpt-4o');
    await client.close();
  });
});

describe('a prompt too large to tokenize quickly', () => {
  // gpt-tokenizer, as the library loads it: its encodings are CommonJS modules, one instance per process.
  const o200k = createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as { countTokens: (text: string) => number };
  const openAiModels = (mock: MockOpenAI, economyWindow: number) =>
    createTieredClient({
      catalog: defineCatalog({
        providers: { p: { apiKey: 'sk-test-fit', baseURL: mock.url } },
        tiers: ['economy', 'hot'],
        models: [
          {
            id: 'gpt-4o-mini',
            provider: 'p',
            tier: 'economy',
            inputCostPerMTok: 0.15,
            outputCostPerMTok: 0.6,
            contextWindow: economyWindow,
          },
          { id: 'gpt-4o', provider: 'p', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
        ],
      }),
    });
  /** The texts the tokenizer was given, by length. */
  const tokenized = () => {
    const spy = vi.spyOn(o200k, 'countTokens');
    return () => spy.mock.calls.map(([text]) => text.length);
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('refuses a 10 MB prompt before any network call, without tokenizing it', async () => {
    const client = openAiModels(mock, 16_000);
    const lengths = tokenized();

    const error = await client
      .tieredChat({ model: 'hot', messages: [{ role: 'user', content: 'lorem ipsum '.repeat((10 * 2 ** 20) / 12) }] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ContextWindowError);
    expect((error as ContextWindowError).promptTokens).toBeGreaterThan(2_500_000); // 4 characters a token
    expect(lengths()).toEqual([]);
    expect(mock.requests).toHaveLength(0);
    await client.close();
  });

  it('does not refuse one that fits, though at 4 characters a token it would not', async () => {
    // 60,000 characters, 10,002 tokens for gpt-4o-mini: 15,000 at 4 characters a token.
    const client = openAiModels(mock, 12_000);
    const lengths = tokenized();

    const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'lorem ipsum '.repeat(5_000) }] });

    expect(result.model).toBe('gpt-4o-mini');
    expect(lengths()).toEqual([]);
    await client.close();
  });

  it('still counts a small prompt exactly', async () => {
    // 2,000 characters of Chinese: 500 tokens at 4 characters a token, but over 1,000 really.
    const client = openAiModels(mock, 1_000);
    const lengths = tokenized();

    const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: '你好，世界。'.repeat(333) }] });

    expect(result.model).toBe('gpt-4o');
    expect(lengths()).toContain(1_998);
    await client.close();
  });
});

describe('capabilities', () => {
  it('keep a request with tools off models that lack them', async () => {
    const client = clientFor(mock);

    const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'weather?' }], tools });

    expect(result.model).toBe('small-tools');
    expect(mock.requestsFor('tiny')).toHaveLength(0);
    await client.close();
  });

  it('a fallback never lands on a model without them', async () => {
    const client = clientFor(mock);
    mock.setReply('small-tools', { status: 500 });

    const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'weather?' }], tools });

    expect(result.model).toBe('gpt-4o'); // not 'tiny', which has no tools
    expect(mock.requestsFor('tiny')).toHaveLength(0);
    await client.close();
  });

  it('name the missing capability in a ConfigError when no candidate has it', async () => {
    const client = createTieredClient({
      catalog: defineCatalog({
        providers: { p: { apiKey: 'sk-test-fit', baseURL: mock.url } },
        tiers: ['economy'],
        models: [
          {
            id: 'text-only',
            provider: 'p',
            tier: 'economy',
            inputCostPerMTok: 1,
            outputCostPerMTok: 1,
            contextWindow: 8_000,
            capabilities: ['tools'],
          },
        ],
      }),
    });
    const image = [{ role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url: 'https://example.test/a.png' } }] }];

    const error = await client.tieredChat({ model: 'economy', messages: image }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('vision');
    expect(mock.requests).toHaveLength(0);
    await client.close();
  });
});
