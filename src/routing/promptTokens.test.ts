import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  countPromptTokens,
  estimatePromptTokens,
  IMAGE_TOKENS,
  LOW_DETAIL_IMAGE_TOKENS,
  MAX_EXACT_PROMPT_BYTES,
  MAX_EXACT_RUN_BYTES,
} from './promptTokens.js';

const require = createRequire(import.meta.url);
const user = (content: unknown) => ({ role: 'user', content });
const tokenizerLoaded = () => Object.keys(require.cache).some((path) => path.includes('gpt-tokenizer'));

describe('countPromptTokens', () => {
  // First in the file on purpose: it must run before anything loads the tokenizer.
  it('loads the tokenizer only when an OpenAI model is counted', () => {
    expect(tokenizerLoaded()).toBe(false);
    countPromptTokens('claude-3-5-sonnet', [user('Hello, world!')]);
    expect(tokenizerLoaded()).toBe(false);
    countPromptTokens('gpt-4o', [user('Hello, world!')]);
    expect(tokenizerLoaded()).toBe(true);
  });

  // Framing: 3 a message + role + content, 3 priming the reply. 'user' is 1 token; 'system' is 1.
  it.each([
    { model: 'gpt-4o', text: 'Hello, world!', tokens: 3 + 1 + 4 + 3 },
    { model: 'gpt-4', text: 'tiktoken is great!', tokens: 3 + 1 + 6 + 3 },
    { model: 'gpt-4o', text: 'नमस्ते दुनिया', tokens: 3 + 1 + 5 + 3 },
    { model: 'gpt-4.1-mini', text: 'नमस्ते दुनिया', tokens: 3 + 1 + 5 + 3 },
    { model: 'gpt-3.5-turbo', text: 'नमस्ते दुनिया', tokens: 3 + 1 + 13 + 3 },
  ])('counts $model prompts exactly, with its own encoding: $text', ({ model, text, tokens }) => {
    expect(countPromptTokens(model, [user(text)])).toEqual({ tokens, exact: true });
  });

  it("agrees with gpt-tokenizer's own chat encoding for string content", () => {
    const chat = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Hello, how are you today?' },
      { role: 'assistant', content: 'Fine, thanks. What can I do for you?' },
    ];
    for (const [model, encoding] of [
      ['gpt-4o', 'o200k_base'],
      ['gpt-4', 'cl100k_base'],
    ] as const) {
      const { encodeChat } = require(`gpt-tokenizer/encoding/${encoding}`) as { encodeChat: (c: unknown, m: string) => number[] };
      expect(countPromptTokens(model, chat).tokens).toBe(encodeChat(chat, model).length);
    }
  });

  it.each(['openai/gpt-4o', 'azure/GPT-4.1-mini', 'openrouter/openai/o3-mini', 'gpt-5', 'o1', 'o4-mini', 'gpt-4.5-preview'])(
    'counts %s exactly, provider prefix or not',
    (model) => {
      expect(countPromptTokens(model, [user('नमस्ते दुनिया')])).toEqual({ tokens: 12, exact: true });
    },
  );

  it.each(['claude-3-5-sonnet', 'mistral/mistral-large', 'gpt-oss-120b', 'o10-large', 'gpt-40', 'my-gpt-4o'])(
    'estimates %s, a model without a known tokenizer',
    (model) => {
      const messages = [user('Hello, world!')];
      expect(countPromptTokens(model, messages)).toEqual({ tokens: estimatePromptTokens(messages), exact: false });
    },
  );

  it('adds a fixed cost per image part, and the low-detail cost for detail: low', () => {
    const text = { type: 'text', text: 'Hello, world!' };
    const image = (detail?: string) => ({ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail } });
    expect(countPromptTokens('gpt-4o', [user([text, image()])]).tokens).toBe(11 + IMAGE_TOKENS);
    expect(countPromptTokens('gpt-4o', [user([text, image('low'), image('high')])]).tokens).toBe(
      11 + LOW_DETAIL_IMAGE_TOKENS + IMAGE_TOKENS,
    );
  });

  it('counts a name (plus 1) and the names and arguments of tool calls', () => {
    const named = { role: 'user', name: 'example_user', content: 'Hello, world!' };
    expect(countPromptTokens('gpt-4o', [named]).tokens).toBe(11 + 2 + 1);
    const call = { role: 'assistant', content: null, tool_calls: [{ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] };
    // 'assistant' is 1 token, 'get_weather' 2, the arguments 5.
    expect(countPromptTokens('gpt-4o', [call]).tokens).toBe(3 + 1 + 2 + 5 + 3);
  });

  it('counts the name and input of a custom tool call as it counts a function call', () => {
    const called = (call: object) => [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', ...call }] }];
    const fn = called({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    const custom = called({ type: 'custom', custom: { name: 'get_weather', input: '{"city":"Paris"}' } });
    expect(countPromptTokens('gpt-4o', custom).tokens).toBe(countPromptTokens('gpt-4o', fn).tokens);
    expect(estimatePromptTokens(custom)).toBe(estimatePromptTokens(fn));
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(countPromptTokens('gpt-4o', [user('a <|endoftext|> b')]).tokens).toBe(3 + 1 + 9 + 3);
  });

  it.each(['gpt-4o', 'claude-3-5-sonnet'])('skips what is not a message or not text for %s, without throwing', (model) => {
    const junk = [
      null,
      42,
      'hi',
      { role: 7, content: { x: 1 } },
      { content: [null, 3, { type: 'image_url' }] },
      { tool_calls: [null, { function: null }] },
    ];
    expect(() => countPromptTokens(model, junk)).not.toThrow();
    expect(countPromptTokens(model, [...junk, user('Hello, world!')]).tokens).toBe(
      countPromptTokens(model, [{}, { content: [{ type: 'image_url' }] }, {}, user('Hello, world!')]).tokens,
    );
  });
});

describe('estimatePromptTokens', () => {
  it.each([
    { case: 'no messages: the reply primer only', messages: [], tokens: 3 },
    { case: 'a short message', messages: [user('abcdefgh')], tokens: 3 + 4 + 2 },
    { case: 'text rounded up per text', messages: [user('abcdefghi'), { role: 'assistant', content: 'a' }], tokens: 3 + 4 + 3 + 4 + 1 },
    {
      case: 'text parts and an image',
      messages: [
        user([
          { type: 'text', text: 'abcd' },
          { type: 'image_url', image_url: { url: 'x' } },
        ]),
      ],
      tokens: 3 + 4 + 1 + IMAGE_TOKENS,
    },
    { case: 'junk', messages: [undefined, 'x', { content: 5 }], tokens: 3 + 4 },
  ])('counts $case', ({ messages, tokens }) => {
    expect(estimatePromptTokens(messages)).toBe(tokens);
  });
});

describe('a prompt too large to tokenize quickly', () => {
  // Required in the tests, not here: the first test of the file must find the tokenizer not loaded.
  const o200k = () => require('gpt-tokenizer/encoding/o200k_base') as { countTokens: (text: string, options?: unknown) => number };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is estimated without being tokenized: a 10 MB prompt', () => {
    const tokenizer = vi.spyOn(o200k(), 'countTokens');
    const messages = [{ role: 'system', content: 'Be brief.' }, user('lorem ipsum '.repeat((10 * 2 ** 20) / 12))];

    const counted = countPromptTokens('gpt-4o', messages);

    expect(counted).toEqual({ tokens: estimatePromptTokens(messages), exact: false, tooLarge: true });
    expect(counted.tokens).toBeGreaterThan(2_500_000);
    expect(tokenizer).not.toHaveBeenCalled();
  });

  it(`is estimated above ${MAX_EXACT_PROMPT_BYTES} bytes of text in all, non-ASCII text by its UTF-8 bytes`, () => {
    const tokenizer = vi.spyOn(o200k(), 'countTokens');
    const room = MAX_EXACT_PROMPT_BYTES - 'user'.length; // the role is text too
    const ascii = 'abc '.repeat(room / 4);
    const chinese = '你好世界。'.repeat(Math.floor(room / 15)); // 3 bytes a character
    const cjk = chinese + 'a'.repeat(room - Buffer.byteLength(chinese));

    expect(countPromptTokens('gpt-4o', [user(ascii)]).exact).toBe(true);
    expect(countPromptTokens('gpt-4o', [user(cjk)]).exact).toBe(true);
    expect(tokenizer).toHaveBeenCalled();
    tokenizer.mockClear();
    expect(countPromptTokens('gpt-4o', [user(ascii), user('x')])).toMatchObject({ exact: false, tooLarge: true });
    expect(countPromptTokens('gpt-4o', [user(`${cjk}你`)])).toMatchObject({ exact: false, tooLarge: true });
    expect(
      countPromptTokens('gpt-4o', [user([{ type: 'text', text: ascii }]), { role: 'assistant', name: 'n', content: 'x' }]),
    ).toMatchObject({
      exact: false,
    });
    expect(tokenizer).not.toHaveBeenCalled();
  });

  // BPE work grows with the square of a stretch the tokenizer cannot split: 20,000 letters take ~200 ms.
  it.each([
    ['letters', 'a'],
    ['spaces', ' '],
    ['punctuation', '='],
    ['CJK characters', '字'],
    ['emoji', '😀'],
  ])('is estimated when it holds a stretch of %s longer than the limit, however short in all', (_, unit) => {
    const tokenizer = vi.spyOn(o200k(), 'countTokens');
    const most = Math.floor(MAX_EXACT_RUN_BYTES / Buffer.byteLength(unit));
    // Between digits, which every encoding splits apart from the rest.
    const text = (units: number) => `1${unit.repeat(units)}1`;

    expect(countPromptTokens('gpt-4o', [user(text(most))]).exact).toBe(true);
    tokenizer.mockClear();
    expect(countPromptTokens('gpt-4o', [user(text(most + 1))])).toMatchObject({ exact: false, tooLarge: true });
    expect(tokenizer).not.toHaveBeenCalled();
  });

  it('counts a prompt of many short words exactly up to the limit', () => {
    const messages = [user('lorem ipsum '.repeat(Math.floor(MAX_EXACT_PROMPT_BYTES / 12) - 10))];

    expect(countPromptTokens('gpt-4', messages)).toEqual({ tokens: expect.any(Number), exact: true });
  });
});
