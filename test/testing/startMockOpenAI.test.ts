import { connect } from 'node:net';
import OpenAI, { type AuthenticationError } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI, type MockOpenAIOptions } from '../../src/testing/index.js';

let mock: MockOpenAI;
let client: OpenAI;

beforeEach(async () => {
  mock = await startMockOpenAI();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
});
afterEach(() => mock.close());

/** Replaces the mock of `beforeEach` with one started with `options`. */
async function restart(options: MockOpenAIOptions, apiKey = 'sk-test'): Promise<void> {
  await mock.close();
  mock = await startMockOpenAI(options);
  client = new OpenAI({ apiKey, baseURL: mock.url, maxRetries: 0 });
}

const hello = [{ role: 'user' as const, content: 'Hi!' }];

describe('the mock OpenAI server', () => {
  it('answers a chat completion like OpenAI, naming the requested model', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages: hello });

    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-test');
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello from gpt-test.', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    expect(completion._request_id).toMatch(/^req_/);
  });

  it('listens on loopback and gives a base URL ending in /v1', () => {
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}/v1`);
  });

  it('estimates usage as a quarter token per character, rounded up', async () => {
    mock.setReply('gpt-test', { content: 'Hello world!' }); // 12 characters
    const completion = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'abcd' },
        { role: 'user', content: [{ type: 'text', text: 'abcdefghi' }] },
      ], // 13 characters
    });

    expect(completion.usage).toEqual({
      prompt_tokens: 4,
      completion_tokens: 3,
      total_tokens: 7,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
  });

  it('reports scripted usage, cached tokens included', async () => {
    mock.setReply('gpt-test', { usage: { promptTokens: 1000, completionTokens: 50, cachedTokens: 800 } });
    const { usage } = await client.chat.completions.create({ model: 'gpt-test', messages: hello });

    expect(usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 50, total_tokens: 1050 });
    expect(usage?.prompt_tokens_details?.cached_tokens).toBe(800);
  });

  it('serves queued replies in order, then the model default reply', async () => {
    await restart({ models: { 'gpt-test': { content: 'default' } } });
    mock.enqueue('gpt-test', { content: 'first' }, { content: 'second' });

    const answers: Array<string | null | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const completion = await client.chat.completions.create({ model: 'gpt-test', messages: hello });
      answers.push(completion.choices[0]?.message.content);
    }

    expect(answers).toEqual(['first', 'second', 'default']);
  });

  it('uses defaultReply for models it was not told about', async () => {
    await restart({ defaultReply: { content: 'fallback' } });

    const completion = await client.chat.completions.create({ model: 'anything', messages: hello });

    expect(completion.choices[0]?.message.content).toBe('fallback');
  });

  it('records every request with its model, body, headers and stream flag', async () => {
    await client.chat.completions.create({ model: 'gpt-a', messages: hello, temperature: 0 });
    await client.chat.completions.create({ model: 'gpt-b', messages: hello });

    expect(mock.requests).toHaveLength(2);
    const [first] = mock.requests;
    expect(first).toMatchObject({
      id: 1,
      method: 'POST',
      path: '/v1/chat/completions',
      model: 'gpt-a',
      body: { model: 'gpt-a', messages: hello, temperature: 0 },
      stream: false,
      closedEarly: false,
    });
    expect(first?.headers['authorization']).toBe('Bearer sk-test');
    expect(first?.receivedAt).toBeTypeOf('number');
    await expect(first?.settled).resolves.toBe('completed');
    expect(mock.requestsFor('gpt-b').map((request) => request.id)).toEqual([2]);
  });

  it('returns tool calls with finish reason tool_calls and null content', async () => {
    mock.setReply('gpt-test', { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages: hello });

    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
      },
    });
  });

  it('answers n choices when asked for n', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages: hello, n: 3 });

    expect(completion.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
  });

  it('lists the models it has replies for at GET /v1/models', async () => {
    mock.setReply('gpt-small', {});
    mock.enqueue('gpt-large', {});
    const page = await client.models.list();

    expect(page.data.map((model) => model.id)).toEqual(['gpt-small', 'gpt-large']);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'mock-openai' });
  });

  it('answers unknown routes with a 404 OpenAI error body, and records them', async () => {
    const response = await fetch(`${mock.url}/audio/speech`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'Invalid URL (POST /v1/audio/speech)', type: 'invalid_request_error', param: null, code: null },
    });
    expect(mock.requests[0]?.path).toBe('/v1/audio/speech');
  });

  it('rejects a body that is not JSON with a 400 invalid_request_error', async () => {
    const response = await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: '{"model": ' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('rejects a request without model or messages with a 400', async () => {
    const noModel = client.chat.completions.create({ messages: hello } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const noMessages = client.chat.completions.create({ model: 'gpt-test' } as OpenAI.ChatCompletionCreateParamsNonStreaming);

    await expect(noModel).rejects.toMatchObject({ status: 400, type: 'invalid_request_error' });
    await expect(noMessages).rejects.toMatchObject({ status: 400, param: 'messages' });
  });

  it('rejects a wrong API key with a 401 whose message masks the key', async () => {
    const wrongKey = 'sk-test-wrong-key-wxyz';
    await restart({ apiKey: 'sk-right-key-1234' }, wrongKey);

    const error: unknown = await client.chat.completions.create({ model: 'gpt-test', messages: hello }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const { message, code } = error as AuthenticationError;
    expect(code).toBe('invalid_api_key');
    expect(message).toContain('Incorrect API key provided: sk-te*************wxyz.');
    expect(message).not.toContain(wrongKey);
  });

  it('never echoes a short key whole', async () => {
    await restart({ apiKey: 'sk-right-key-1234' });

    const response = await fetch(`${mock.url}/models`, { headers: { authorization: 'Bearer sk-abc' } });

    expect(response.status).toBe(401);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain('Incorrect API key provided: s****c.');
  });

  it('accepts the configured API key', async () => {
    await restart({ apiKey: 'sk-test' });

    await expect(client.chat.completions.create({ model: 'gpt-test', messages: hello })).resolves.toBeDefined();
  });

  it('forgets requests and queued replies on reset, but keeps default replies', async () => {
    mock.setReply('gpt-test', { content: 'default' });
    mock.enqueue('gpt-test', { content: 'queued' });
    await fetch(`${mock.url}/models`);

    mock.reset();
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages: hello });

    expect(completion.choices[0]?.message.content).toBe('default');
    expect(mock.requests.map((request) => request.id)).toEqual([2]);
  });

  it('resolves waitForRequests once enough requests have arrived', async () => {
    const waiting = mock.waitForRequests(2);
    await client.chat.completions.create({ model: 'gpt-test', messages: hello });
    await client.chat.completions.create({ model: 'gpt-test', messages: hello });

    await expect(waiting).resolves.toBeUndefined();
    await expect(mock.waitForRequests(1)).resolves.toBeUndefined();
  });

  it('counts the connections open, the most open at once and those accepted, from the last reset', async () => {
    const sockets = [1, 2, 3].map(() => connect(mock.port, '127.0.0.1'));
    await expect.poll(() => mock.connections.open).toBe(3);
    sockets[0]!.destroy();
    await expect.poll(() => mock.connections.open).toBe(2);
    expect(mock.connections).toMatchObject({ peak: 3, total: 3 });

    mock.reset();

    expect(mock.connections).toMatchObject({ open: 2, peak: 2, total: 0 });
    for (const socket of sockets) socket.destroy();
    await expect.poll(() => mock.connections.open).toBe(0);
  });

  it('counts the model requests in flight and the most at once, from the last reset, leaving GET /v1/models out', async () => {
    mock.setReply('gpt-test', { latencyMs: 50 });
    mock.setModelsReply({ latencyMs: 50 });
    const answers = [1, 2, 3].map(() => client.chat.completions.create({ model: 'gpt-test', messages: hello }));
    const listed = client.models.list();
    await mock.waitForRequests(4);
    expect(mock.inFlight).toMatchObject({ now: 3, peak: 3 });

    await Promise.all([...answers, listed]);
    await expect.poll(() => mock.inFlight.now).toBe(0);
    expect(mock.inFlight.peak).toBe(3);
    mock.reset();
    expect(mock.inFlight).toMatchObject({ now: 0, peak: 0 });
  });

  it('keeps the last maxRequests requests, dropping the oldest, while waitForRequests counts every one', async () => {
    await restart({ maxRequests: 2 });
    const waiting = mock.waitForRequests(3);

    for (const content of ['one', 'two', 'three']) {
      await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content }] });
    }

    await expect(waiting).resolves.toBeUndefined();
    await expect(mock.waitForRequests(3)).resolves.toBeUndefined();
    expect(mock.requests.map((request) => request.id)).toEqual([2, 3]);
    expect(
      mock.requestsFor('gpt-test').map((request) => (request.body as { messages: [{ content: string }] }).messages[0].content),
    ).toEqual(['two', 'three']);
  });

  it('refuses a maxRequests that is not an integer >= 1 or Infinity, naming the option', async () => {
    for (const maxRequests of [0, -1, 1.5, NaN]) {
      await expect(startMockOpenAI({ maxRequests })).rejects.toThrow(`maxRequests must be an integer >= 1 or Infinity, got ${maxRequests}`);
    }
  });

  it('refuses an invalid reply when it is scripted, naming the option', () => {
    expect(() => mock.setReply('gpt-test', { status: 99 })).toThrow("setReply('gpt-test'): status must be");
    expect(() => mock.enqueue('gpt-test', {}, { chunkChars: 0 })).toThrow('reply 1: chunkChars must be');
  });

  it('refuses to listen on anything but loopback', async () => {
    await expect(startMockOpenAI({ host: '0.0.0.0' })).rejects.toThrow('host must be a loopback address');
  });
});

describe('GET /v1/models, scripted', () => {
  it('answers as modelsReply says: an error status with its body', async () => {
    await restart({ modelsReply: { status: 503, error: { message: 'maintenance' } } });

    const error = await client.models.list().then(
      () => undefined,
      (e: unknown) => e as { status: number; message: string },
    );

    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('maintenance') });
  });

  it('takes a new reply from setModelsReply, a function called with each request', async () => {
    mock.setReply('gpt-test', {});
    let calls = 0;
    mock.setModelsReply(() => (++calls === 1 ? { status: 500 } : {}));

    const first = await fetch(`${mock.url}/models`);
    const second = await client.models.list();

    expect([first.status, second.data.map((m) => m.id)]).toEqual([500, ['gpt-test']]);
  });

  it('refuses an invalid reply at once', () => {
    expect(() => mock.setModelsReply({ status: 'down' } as never)).toThrow(TypeError);
  });
});
