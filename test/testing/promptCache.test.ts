import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { loadOpenApiValidator, type SchemaValidator } from './openapiValidator.js';

let validate: SchemaValidator;
beforeAll(() => {
  // Compiling the schemas takes a while: once for the file.
  validate = loadOpenApiValidator();
});

const mocks: MockOpenAI[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((mock) => mock.close()));
});
async function mockWith(options: Parameters<typeof startMockOpenAI>[0] = { promptCache: true }): Promise<MockOpenAI> {
  const mock = await startMockOpenAI(options);
  mocks.push(mock);
  return mock;
}

// 6,000 characters: 1,500 tokens at the mock's 4 characters a token, over OpenAI's 1,024-token threshold.
const system = { role: 'system', content: 'Policies. '.repeat(600) };
const first = { role: 'user', content: 'First question.' };
const turn2 = [system, first, { role: 'assistant', content: 'An answer.' }, { role: 'user', content: 'Second question.' }];

interface ChatBody {
  usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } };
}
async function chat(mock: MockOpenAI, messages: unknown[], model = 'gpt-test'): Promise<ChatBody> {
  const response = await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model, messages }) });
  return (await response.json()) as ChatBody;
}
const cached = (body: ChatBody) => body.usage.prompt_tokens_details.cached_tokens;

describe('the mock prompt cache (promptCache: true)', () => {
  it('reports as cached the longest prefix of whole messages already answered for the model, in 128-token blocks', async () => {
    const mock = await mockWith();

    const one = await chat(mock, [system, first]);
    const two = await chat(mock, turn2);
    const again = await chat(mock, turn2);

    expect(cached(one)).toBe(0);
    // [system, first]: 6,015 characters, 1,504 tokens, 11 blocks of 128.
    expect(cached(two)).toBe(1_408);
    // The whole prompt seen before: every whole block of it.
    expect(cached(again)).toBe(again.usage.prompt_tokens - (again.usage.prompt_tokens % 128));
  });

  it('caches nothing under 1,024 tokens, nothing for another model, and nothing without the option', async () => {
    const mock = await mockWith();
    const off = await mockWith({});
    const short = [{ role: 'user', content: 'Hi!' }];
    await chat(mock, short);
    await chat(mock, [system, first]);
    await chat(off, [system, first]);

    expect(cached(await chat(mock, short))).toBe(0);
    expect(cached(await chat(mock, turn2, 'gpt-other'))).toBe(0);
    expect(cached(await chat(off, turn2))).toBe(0);
    // The same on the mock with the cache and the model it has seen: cached.
    expect(cached(await chat(mock, turn2))).toBe(1_408);
  });

  it('caches nothing of a request that failed, and a scripted usage.cachedTokens wins', async () => {
    const mock = await mockWith({ promptCache: true });
    mock.enqueue('gpt-test', { status: 500 });
    await chat(mock, [system, first]);

    expect(cached(await chat(mock, [system, first]))).toBe(0);
    // That answer cached the prompt; the scripted figure wins over it.
    expect(cached(await chat(mock, [system, first]))).toBe(1_408);
    mock.enqueue('gpt-test', { usage: { cachedTokens: 7 } });
    expect(cached(await chat(mock, [system, first]))).toBe(7);
  });

  it('reports input_tokens_details.cached_tokens for the Responses API, over its instructions and input items', async () => {
    const mock = await mockWith();
    const post = async (input: unknown) => {
      const response = await fetch(`${mock.url}/responses`, {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-test', instructions: system.content, input }),
      });
      return (await response.json()) as { usage: { input_tokens_details: { cached_tokens: number } } };
    };

    const one = await post([{ role: 'user', content: 'First question.' }]);
    const two = await post([
      { role: 'user', content: 'First question.' },
      { role: 'assistant', content: 'An answer.' },
      { role: 'user', content: 'Second question.' },
    ]);

    expect(one.usage.input_tokens_details.cached_tokens).toBe(0);
    expect(two.usage.input_tokens_details.cached_tokens).toBe(1_408);
    expect(validate('Response', two)).toEqual({ valid: true, errors: [] });
  });

  it('keeps chat completions valid CreateChatCompletionResponse bodies', async () => {
    const mock = await mockWith();
    await chat(mock, [system, first]);

    const body = await chat(mock, turn2);

    expect(cached(body)).toBeGreaterThan(0);
    expect(validate('CreateChatCompletionResponse', body)).toEqual({ valid: true, errors: [] });
  });

  it('refuses a promptCache that is not a boolean', async () => {
    await expect(startMockOpenAI({ promptCache: 'yes' as unknown as boolean })).rejects.toThrow('promptCache must be a boolean');
  });
});
