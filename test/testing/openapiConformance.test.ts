import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { loadOpenApiValidator, type SchemaValidator } from './openapiValidator.js';

let validate: SchemaValidator;
let mock: MockOpenAI;

beforeAll(async () => {
  // Compiling the schemas takes a while: once for the file.
  validate = loadOpenApiValidator();
  mock = await startMockOpenAI({
    models: {
      'gpt-tools': { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }], content: 'Let me check.' },
      'gpt-limited': { status: 429, headers: { 'retry-after': '1' } },
    },
  });
});
afterAll(() => mock?.close());

const messages = [{ role: 'user', content: 'Hi!' }];

/** POSTs a chat completion request and returns the raw parsed response body. */
async function post(body: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: JSON.stringify(body) });
  return response.json();
}

/** POSTs a streaming request and returns every `data:` payload but `[DONE]`, parsed. */
async function postStream(body: Record<string, unknown>): Promise<unknown[]> {
  const response = await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ ...body, stream: true }) });
  const events = (await response.text()).split('\n\n').filter((event) => event !== '' && event !== 'data: [DONE]');
  return events.map((event) => JSON.parse(event.slice('data: '.length)) as unknown);
}

function expectValid(schemaName: string, value: unknown): void {
  const { valid, errors } = validate(schemaName, value);
  expect(errors, `${schemaName}: ${JSON.stringify(value)}`).toEqual([]);
  expect(valid).toBe(true);
}

describe('conformance to the official OpenAPI description', () => {
  it('a chat completion matches CreateChatCompletionResponse', async () => {
    expectValid('CreateChatCompletionResponse', await post({ model: 'gpt-test', messages, n: 2 }));
  });

  it('a tool-call completion matches CreateChatCompletionResponse', async () => {
    const body = await post({ model: 'gpt-tools', messages });
    expect(body).toMatchObject({ choices: [{ message: { tool_calls: [{ type: 'function' }] } }] });
    expectValid('CreateChatCompletionResponse', body);
  });

  it('every streamed chunk, the usage chunk included, matches CreateChatCompletionStreamResponse', async () => {
    const chunks = await postStream({ model: 'gpt-test', messages, stream_options: { include_usage: true } });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
  });

  it('every chunk of a streamed tool call matches CreateChatCompletionStreamResponse', async () => {
    const chunks = await postStream({ model: 'gpt-tools', messages });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
  });

  it('error bodies match ErrorResponse', async () => {
    expectValid('ErrorResponse', await post({ model: 'gpt-limited', messages }));
    expectValid('ErrorResponse', await post({ model: 'gpt-test' }));
    expectValid('ErrorResponse', await (await fetch(`${mock.url}/nowhere`)).json());
  });

  it('the model list matches ListModelsResponse', async () => {
    expectValid('ListModelsResponse', await (await fetch(`${mock.url}/models`)).json());
  });

  it('an embeddings response matches CreateEmbeddingResponse, for one input and a batch', async () => {
    const post = async (body: Record<string, unknown>) =>
      (await fetch(`${mock.url}/embeddings`, { method: 'POST', body: JSON.stringify(body) })).json();
    const single = await post({ model: 'text-embedding-3-small', input: 'Hi!' });
    expect(single).toMatchObject({ data: [{ embedding: expect.any(Array) }] });
    expectValid('CreateEmbeddingResponse', single);
    expectValid('CreateEmbeddingResponse', await post({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 8 }));
    expectValid('ErrorResponse', await post({ model: 'text-embedding-3-small', input: '' }));
  });

  it('the embeddings request the openai client sends matches CreateEmbeddingRequest', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
    const before = mock.requests.length;
    await client.embeddings.create({ model: 'text-embedding-3-small', input: ['Hello', 'World'], dimensions: 32 });

    expectValid('CreateEmbeddingRequest', mock.requests[before]?.body);
  });

  it('the request the openai client sends matches CreateChatCompletionRequest', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
    const before = mock.requests.length;
    await client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo?' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
      max_completion_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
    });

    const sent = mock.requests[before];
    expect(sent?.model).toBe('gpt-test');
    expectValid('CreateChatCompletionRequest', sent?.body);
  });

  describe('the validation itself', () => {
    it('rejects a response without choices', async () => {
      const { choices: _choices, ...body } = (await post({ model: 'gpt-test', messages })) as Record<string, unknown>;
      expect(validate('CreateChatCompletionResponse', body).valid).toBe(false);
    });

    it('rejects a finish_reason outside the enum, in a response and in a chunk', async () => {
      const body = (await post({ model: 'gpt-test', messages })) as { choices: Array<Record<string, unknown>> };
      body.choices[0] = { ...body.choices[0], finish_reason: 'bogus' };
      expect(validate('CreateChatCompletionResponse', body).valid).toBe(false);

      const [chunk] = (await postStream({ model: 'gpt-test', messages })) as Array<{ choices: Array<Record<string, unknown>> }>;
      chunk!.choices[0] = { ...chunk!.choices[0], finish_reason: 'bogus' };
      expect(validate('CreateChatCompletionStreamResponse', chunk).valid).toBe(false);
    });

    it('accepts the nulls that nullable allowed (usage: null) but not a wrong type there', async () => {
      const chunks = await postStream({ model: 'gpt-test', messages, stream_options: { include_usage: true } });
      const withNullUsage = chunks[0] as Record<string, unknown>;
      expect(withNullUsage['usage']).toBeNull();
      expect(validate('CreateChatCompletionStreamResponse', withNullUsage).valid).toBe(true);
      expect(validate('CreateChatCompletionStreamResponse', { ...withNullUsage, usage: 'none' }).valid).toBe(false);
    });

    it('rejects an error body without a message, and a request without messages', () => {
      expect(validate('ErrorResponse', { error: { type: 'server_error', param: null, code: null } }).valid).toBe(false);
      expect(validate('CreateChatCompletionRequest', { model: 'gpt-test' }).valid).toBe(false);
    });

    it('fails on a schema the trimmed copy does not hold, rather than passing unchecked', () => {
      expect(() => validate('CreateImageRequest', {})).toThrow(/No schema named CreateImageRequest .*openai-chat-schemas\.json/);
    });
  });
});
