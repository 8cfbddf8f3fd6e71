import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';

let mock: MockOpenAI;
let client: OpenAI;

beforeEach(async () => {
  mock = await startMockOpenAI({ models: { 'gpt-test': { content: 'The quick brown fox', chunkChars: 5 } } });
  // logLevel 'off': openai logs a malformed SSE line to the console before it throws.
  client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0, logLevel: 'off' });
});
afterEach(async () => {
  vi.useRealTimers();
  await mock.close();
});

const request = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'Hi!' }], stream: true as const };

/** Reads a stream to its end (or its error), keeping every chunk it yielded. */
async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<{ chunks: ChatCompletionChunk[]; error?: unknown }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
    return { chunks };
  } catch (error) {
    return { chunks, error };
  }
}

const contentOf = (chunks: ChatCompletionChunk[]): string => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

describe('streamed completions', () => {
  it('streams a role chunk, content chunks that reassemble to the answer, then a finish chunk', async () => {
    const { chunks, error } = await collect(await client.chat.completions.create(request));

    expect(error).toBeUndefined();
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { content: 'The q' },
      { content: 'uick ' },
      { content: 'brown' },
      { content: ' fox' },
      {},
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'gpt-test')).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
  });

  it('sends SSE with an x-request-id and a final data: [DONE]', async () => {
    const response = await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: JSON.stringify(request) });

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.every((event) => event.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
  });

  it('ends with a usage chunk when the request asks for include_usage', async () => {
    const stream = await client.chat.completions.create({ ...request, stream_options: { include_usage: true } });
    const { chunks } = await collect(stream);

    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 5, total_tokens: 6 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('lets streamUsage force the usage chunk', async () => {
    mock.setReply('gpt-test', { streamUsage: true, usage: { promptTokens: 7 } });
    const { chunks } = await collect(await client.chat.completions.create(request));

    expect(chunks.at(-1)?.usage?.prompt_tokens).toBe(7);
  });

  it('streams tool calls that openai reassembles', async () => {
    mock.setReply('gpt-test', { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });

    const completion = await client.chat.completions.stream(request).finalChatCompletion();

    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ]);
  });

  it('flushes each event at once: chunk 1 reaches the client before chunk 2 is sent', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, chunkDelayMs: 1_000 });
    const stream = await client.chat.completions.create(request);
    const chunks = stream[Symbol.asyncIterator]();

    expect((await chunks.next()).value?.choices[0]?.delta.role).toBe('assistant');
    const first = chunks.next();
    await vi.advanceTimersByTimeAsync(1_000);
    // Chunk 2 waits on a timer that has not been advanced: only an unbuffered write gets here.
    expect((await first).value?.choices[0]?.delta.content).toBe('The q');

    stream.controller.abort();
    await expect(mock.requests[0]?.settled).resolves.toBe('closed-early');
  });

  it('cuts the connection after cutAfterChunks: the openai iterator throws', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, cutAfterChunks: 2 });
    const { chunks, error } = await collect(await client.chat.completions.create(request));

    expect(contentOf(chunks)).toBe('The quick ');
    // Not an OpenAIError: undici's TypeError('terminated') goes through as it is.
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ message: 'terminated' });
    await expect(mock.requests[0]?.settled).resolves.toBe('reset');
  });

  it('falls silent after hangAfterChunks until the client aborts', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, hangAfterChunks: 1 });
    const stream = await client.chat.completions.create(request);

    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (chunk.choices[0]?.delta.content === 'The q') stream.controller.abort();
    }

    // openai ends an aborted stream quietly, like a finished one.
    expect(chunks).toHaveLength(2);
    await expect(mock.requests[0]?.settled).resolves.toBe('closed-early');
    expect(mock.requests[0]?.closedEarly).toBe(true);
  });

  it('sends a malformed data line after malformedAfterChunks: the iterator throws a SyntaxError', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, malformedAfterChunks: 3 });
    const { chunks, error } = await collect(await client.chat.completions.create(request));

    expect(contentOf(chunks)).toBe('The quick brown');
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('sends an error data line after failAfterChunks: the iterator throws it as an APIError', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, failAfterChunks: 1, error: { message: 'Overloaded.' } });
    const { chunks, error } = await collect(await client.chat.completions.create(request));

    expect(contentOf(chunks)).toBe('The q');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ message: 'Overloaded.', type: 'server_error' });
    await expect(mock.requests[0]?.settled).resolves.toBe('completed');
  });

  it("sends a malformed first event on fault 'malformed'", async () => {
    mock.setReply('gpt-test', { fault: 'malformed' });
    const { chunks, error } = await collect(await client.chat.completions.create(request));

    expect(chunks).toEqual([]);
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('omits data: [DONE] on omitDone, and openai does not notice', async () => {
    mock.setReply('gpt-test', { omitDone: true });
    const raw = await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: JSON.stringify(request) });
    const { chunks, error } = await collect(await client.chat.completions.create(request));

    expect(await raw.text()).not.toContain('[DONE]');
    expect(error).toBeUndefined();
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('answers an error status with a JSON error even when a stream was asked for', async () => {
    mock.setReply('gpt-test', { status: 500 });

    await expect(client.chat.completions.create(request)).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });
});
