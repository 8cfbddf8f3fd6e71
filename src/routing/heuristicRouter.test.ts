import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/ConfigError.js';
import { heuristicTier, requestFeatures, type RequestFeatures } from './heuristicRouter.js';

type Request = Parameters<typeof requestFeatures>[0];

const user = (content: unknown) => ({ role: 'user', content });
const ask = (text: string, extra: Partial<Request> = {}): Request => ({ messages: [user(text)], ...extra });
const tierOf = (request: Request, tiers: readonly string[], promptTokens = 50) =>
  heuristicTier(requestFeatures(request, promptTokens), tiers).tier;

const proofWithCode = ask(
  'Prove step by step that this loop terminates for every n > 0, or derive a counterexample:\n```python\nwhile n != 1:\n    n = n // 2 if n % 2 == 0 else 3 * n + 1\n```',
);
const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } };
const schema = { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } };

describe('heuristicTier over four tiers', () => {
  const tiers = ['economy', 'cold', 'warm', 'hot'];

  it.each([
    { kind: 'a greeting', request: ask('Hi! How are you today?'), tier: 'economy' },
    { kind: 'thanks with a smiley', request: ask('Thanks, that was helpful :)'), tier: 'economy' },
    { kind: 'a short factual question', request: ask('What is the capital of France?'), tier: 'economy' },
    { kind: 'a short why question', request: ask('Why is the sky blue?'), tier: 'economy' },
    { kind: 'a translation', request: ask('Translate "good morning, my friend" into Spanish.'), tier: 'economy' },
    {
      kind: 'prose that mentions a class and a function',
      request: ask('My class threw a function for the school; it was fun.'),
      tier: 'economy',
    },
    { kind: 'a request to write code', request: ask('Write a Python function that reverses a string.'), tier: 'cold' },
    { kind: 'a fenced snippet', request: ask('What does this print?\n```js\nconsole.log([1, 2].map((n) => n * 2));\n```'), tier: 'cold' },
    { kind: 'a simple question with tools', request: ask('What is the weather in Paris?', { tools: [weather] }), tier: 'cold' },
    {
      kind: 'a comparison of trade-offs',
      request: ask('Compare PostgreSQL and MongoDB for analytics: what are the trade-offs?'),
      tier: 'warm',
    },
    { kind: 'two weak cues', request: ask('Why do interest rates rise, and what would happen if they never did?'), tier: 'warm' },
    {
      kind: 'code with tools and a schema',
      request: ask('Fix this function: `const f = (x) => x +;`', { tools: [weather], response_format: schema }),
      tier: 'warm',
    },
    { kind: 'a multi-step proof about code', request: proofWithCode, tier: 'hot' },
  ])('sends $kind to $tier', ({ request, tier }) => {
    expect(tierOf(request, tiers)).toBe(tier);
  });

  it.each([
    { promptTokens: 1_500, tier: 'economy' },
    { promptTokens: 9_000, tier: 'cold' },
    { promptTokens: 40_000, tier: 'warm' },
  ])('sends a plain summary of $promptTokens prompt tokens to $tier', ({ promptTokens, tier }) => {
    expect(tierOf(ask('Summarize this report.'), tiers, promptTokens)).toBe(tier);
  });

  it('sends reasoning over a very long prompt to the priciest tier', () => {
    expect(tierOf(ask('Analyze the risks in this contract.'), tiers, 40_000)).toBe('hot');
  });

  it('names the features that counted, in a fixed order', () => {
    expect(heuristicTier(requestFeatures(proofWithCode, 14_200), tiers)).toEqual({
      tier: 'hot',
      reason: 'code, multi-step reasoning, 14k prompt tokens',
    });
    expect(heuristicTier(requestFeatures(ask('Hello'), 10), tiers)).toEqual({ tier: 'economy', reason: 'no complexity cues' });
  });
});

describe('heuristicTier over fewer tiers', () => {
  it.each([ask('Hello'), ask('Compare A and B.'), proofWithCode])('always picks the only tier', (request) => {
    expect(tierOf(request, ['only'])).toBe('only');
  });

  it.each([
    { kind: 'a greeting', request: ask('Hello there'), tier: 'simple' },
    { kind: 'a request to write code', request: ask('Write a Python function that reverses a string.'), tier: 'simple' },
    { kind: 'a comparison of trade-offs', request: ask('Compare A and B: what are the trade-offs?'), tier: 'complex' },
    { kind: 'a multi-step proof about code', request: proofWithCode, tier: 'complex' },
  ])('with two tiers, sends $kind to $tier', ({ request, tier }) => {
    expect(tierOf(request, ['simple', 'complex'])).toBe(tier);
  });

  it('throws a ConfigError without tiers', () => {
    expect(() => tierOf(ask('Hello'), [])).toThrow(ConfigError);
  });
});

describe('requestFeatures', () => {
  const none: RequestFeatures = {
    promptTokens: 7,
    messages: 1,
    code: false,
    reasoning: false,
    tools: false,
    jsonSchema: false,
    maxOutputTokens: undefined,
  };

  it('reads reasoning cues from the last user message only', () => {
    const messages = [
      user('Prove that there are infinitely many primes.'),
      { role: 'assistant', content: 'Suppose not...' },
      user('Thanks!'),
    ];
    expect(requestFeatures({ messages }, 7).reasoning).toBe(false);
  });

  it('finds code in a fenced block anywhere in the conversation', () => {
    const messages = [user('```\nx = 1\n```'), { role: 'assistant', content: 'It assigns 1.' }, user('And then?')];
    expect(requestFeatures({ messages }, 7).code).toBe(true);
  });

  it('finds code by its density of symbols', () => {
    expect(requestFeatures(ask('if (a[i] > b[j]) { swap(a, i, j); } else { k += (i * j) % 3; }'), 7).code).toBe(true);
  });

  it('reads the text parts of array content', () => {
    const request = {
      messages: [
        user([
          { type: 'text', text: 'Compare these' },
          { type: 'image_url', image_url: { url: 'x' } },
        ]),
      ],
    };
    expect(requestFeatures(request, 7).reasoning).toBe(true);
  });

  it.each([
    { case: 'nothing', extra: {}, features: {} },
    { case: 'an empty tools list', extra: { tools: [] }, features: {} },
    { case: 'tools', extra: { tools: [weather] }, features: { tools: true } },
    { case: 'a JSON object format', extra: { response_format: { type: 'json_object' } }, features: {} },
    { case: 'a JSON schema', extra: { response_format: schema }, features: { jsonSchema: true } },
    { case: 'max_tokens', extra: { max_tokens: 500 }, features: { maxOutputTokens: 500 } },
    { case: 'both token limits', extra: { max_tokens: 500, max_completion_tokens: 900 }, features: { maxOutputTokens: 900 } },
    { case: 'null token limits', extra: { max_tokens: null, max_completion_tokens: null }, features: {} },
  ])('reads $case from the request', ({ extra, features }) => {
    expect(requestFeatures(ask('Hello', extra), 7)).toEqual({ ...none, ...features });
  });

  it('does not throw on messages that are not messages', () => {
    const messages = [null, 3, 'hi', { role: 'user', content: { not: 'text' } }, { role: 'user', content: [null, 5] }];
    expect(requestFeatures({ messages }, 7)).toEqual({ ...none, messages: 5 });
  });
});
