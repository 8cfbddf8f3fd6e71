import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI, type MockReplyFunction, type MockRequest } from '../../src/testing/index.js';

let mock: MockOpenAI;
let client: OpenAI;

beforeEach(async () => {
  mock = await startMockOpenAI();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
});
afterEach(() => mock.close());

/** The text of the request's last message, as the reply functions below read it. */
function lastMessage(request: MockRequest): string {
  const { messages } = request.body as { messages: Array<{ content: string }> };
  return messages.at(-1)?.content ?? '';
}

const ask = (model: string, content: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content }] });

describe('a reply computed from the request', () => {
  it('answers each prompt with its own reply, called once per request with the parsed body', async () => {
    const seen: MockRequest[] = [];
    const answers: Record<string, string> = { 'Capital of France?': 'Paris', 'Capital of Peru?': 'Lima' };
    mock.setReply('gpt-test', (request) => {
      seen.push(request);
      return { content: answers[lastMessage(request)] ?? 'I do not know' };
    });

    const france = await ask('gpt-test', 'Capital of France?');
    const peru = await ask('gpt-test', 'Capital of Peru?');

    expect(france.choices[0]?.message.content).toBe('Paris');
    expect(peru.choices[0]?.message.content).toBe('Lima');
    expect(seen.map((request) => request.id)).toEqual(mock.requests.map((request) => request.id));
  });

  it('is honoured in models and defaultReply, streaming included', async () => {
    await mock.close();
    const echo: MockReplyFunction = (request) => ({ content: `${request.model}: ${lastMessage(request)}` });
    mock = await startMockOpenAI({ models: { named: echo }, defaultReply: echo });
    client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });

    const named = await ask('named', 'one');
    const stream = await client.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'two' }], stream: true });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';

    expect(named.choices[0]?.message.content).toBe('named: one');
    expect(streamed).toBe('other: two');
  });

  it('serves a function in enqueue to exactly one request, then the default reply', async () => {
    mock.setReply('gpt-test', { content: 'default' });
    mock.enqueue('gpt-test', { content: 'first' }, (request) => ({ content: `second saw "${lastMessage(request)}"` }));

    const answers = [];
    for (const prompt of ['a', 'b', 'c']) answers.push((await ask('gpt-test', prompt)).choices[0]?.message.content);

    expect(answers).toEqual(['first', 'second saw "b"', 'default']);
  });

  it('plays the latency, status and usage the function returns', async () => {
    mock.setReply('gpt-test', (request) => (lastMessage(request) === 'fail' ? { status: 429 } : { usage: { completionTokens: 7 } }));

    await expect(ask('gpt-test', 'fail')).rejects.toMatchObject({ status: 429 });
    expect((await ask('gpt-test', 'ok')).usage?.completion_tokens).toBe(7);
  });

  it('answers 500 naming the model when the function throws, and keeps serving', async () => {
    mock.setReply('gpt-test', (request) => {
      if (lastMessage(request) === 'boom') throw new Error('no answer scripted for boom');
      return { content: 'fine' };
    });

    await expect(ask('gpt-test', 'boom')).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining("the reply function of model 'gpt-test' threw: no answer scripted for boom"),
    });
    expect((await ask('gpt-test', 'next')).choices[0]?.message.content).toBe('fine');
  });

  it('answers 500 naming the model and the option when the function returns an invalid reply', async () => {
    mock.setReply('gpt-test', () => ({ status: 99 }));
    mock.enqueue('gpt-test', (() => Promise.resolve({ content: 'late' })) as unknown as MockReplyFunction);

    await expect(ask('gpt-test', 'hi')).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining("the reply function of model 'gpt-test': must return a reply, not a promise"),
    });
    await expect(ask('gpt-test', 'hi')).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining("the reply function of model 'gpt-test': status must be an integer from 200 to 599, got 99"),
    });
  });

  it('computes embeddings replies too', async () => {
    mock.setReply('embed-test', (request) => ({ usage: { promptTokens: (request.body as { input: string[] }).input.length } }));

    const embeddings = await client.embeddings.create({ model: 'embed-test', input: ['a', 'b', 'c'] });

    expect(embeddings.usage.prompt_tokens).toBe(3);
  });
});
