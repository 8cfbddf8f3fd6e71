import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { completedTextStream, openingEvents } from '../support/responseEvents.js';

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

/** Reads a stream to its end (or its error), keeping every event it yielded. */
async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<{ events: ResponseStreamEvent[]; error?: unknown }> {
  const events: ResponseStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

const textOf = (events: ResponseStreamEvent[]): string =>
  events.map((event) => (event.type === 'response.output_text.delta' ? event.delta : '')).join('');

const streamed = () => client.responses.create({ model: 'gpt-test', input: 'Hi!', stream: true });

describe('POST /v1/responses', () => {
  it('answers with a completed response whose message holds the scripted content', async () => {
    const response = await client.responses.create({ model: 'gpt-test', input: 'Hi!' });

    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-test', error: null });
    expect(response.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'The quick brown fox', annotations: [], logprobs: [] }],
      },
    ]);
    expect(response.output_text).toBe('The quick brown fox');
  });

  it('estimates input tokens from the text of the input items and the instructions, as chat does', async () => {
    const response = await client.responses.create({
      model: 'gpt-test',
      instructions: 'Be brief.', // 9 characters
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'What is the capital' }] }, // 19
        { role: 'assistant', content: 'Paris.' }, // 6
        { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' }, // 11
      ],
    });

    expect(response.usage).toEqual({
      input_tokens: 12, // ceil(45 / 4)
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 5, // ceil(19 / 4)
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 17,
    });
    expect(response.instructions).toBe('Be brief.');
  });

  it('reports scripted usage, cached tokens included, or none at all', async () => {
    mock.enqueue('gpt-test', { usage: { promptTokens: 100, completionTokens: 20, cachedTokens: 64 } }, { usage: null });

    const scripted = await client.responses.create({ model: 'gpt-test', input: 'Hi!' });
    const none = await client.responses.create({ model: 'gpt-test', input: 'Hi!' });

    expect(scripted.usage).toMatchObject({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 64 },
      output_tokens: 20,
      total_tokens: 120,
    });
    expect(none.usage).toBeUndefined();
  });

  it('answers tool calls with function_call items, and no message when there is no content', async () => {
    mock.setReply('gpt-test', { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });

    const response = await client.responses.create({ model: 'gpt-test', input: 'Weather in Oslo?' });

    expect(response.status).toBe('completed');
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^fc_/),
        type: 'function_call',
        status: 'completed',
        call_id: 'call_1',
        name: 'get_weather',
        arguments: '{"city":"Oslo"}',
      },
    ]);
    expect(response.output_text).toBe('');
  });

  it("is incomplete on finishReason 'length' (max_output_tokens) and 'content_filter'", async () => {
    mock.enqueue('gpt-test', { finishReason: 'length' }, { finishReason: 'content_filter' });

    const long = await client.responses.create({ model: 'gpt-test', input: 'Hi!', max_output_tokens: 16 });
    const filtered = await client.responses.create({ model: 'gpt-test', input: 'Hi!' });

    expect(long).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 16 });
    expect(long.output[0]).toMatchObject({ type: 'message', status: 'incomplete' });
    expect(filtered).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });

  it('answers a scripted error status with an OpenAI error body and headers', async () => {
    mock.setReply('gpt-test', { status: 429, headers: { 'retry-after': '2' } });

    const error: unknown = await client.responses.create({ model: 'gpt-test', input: 'Hi!' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('2');
  });

  it("plays the faults 'reset' and 'malformed' as for chat", async () => {
    mock.enqueue('gpt-test', { fault: 'reset' }, { fault: 'malformed' });

    await expect(client.responses.create({ model: 'gpt-test', input: 'Hi!' })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(client.responses.create({ model: 'gpt-test', input: 'Hi!' })).rejects.toBeInstanceOf(SyntaxError);
    await expect(mock.requests[0]?.settled).resolves.toBe('reset');
  });

  it('waits latencyMs before answering (fake timers drive it)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    mock.setReply('gpt-test', { latencyMs: 5_000 });
    let settled = false;
    const pending = client.responses.create({ model: 'gpt-test', input: 'Hi!' }).finally(() => (settled = true));

    await mock.waitForRequests(1);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ status: 'completed' });
  });

  it('refuses an input that is neither a string nor input items, without consuming a queued reply', async () => {
    mock.enqueue('gpt-test', { content: 'queued' });
    const response = await fetch(`${mock.url}/responses`, { method: 'POST', body: JSON.stringify({ model: 'gpt-test', input: 42 }) });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: "Invalid type for 'input': expected a string or array of input items, but got a number instead.",
        type: 'invalid_request_error',
        param: 'input',
        code: 'invalid_type',
      },
    });
    expect((await client.responses.create({ model: 'gpt-test', input: 'Hi!' })).output_text).toBe('queued');
  });

  it('records the request with its path, model and stream flag', async () => {
    await client.responses.create({ model: 'gpt-test', input: 'Hi!' });
    await collect(await streamed());

    expect(mock.requests.map(({ method, path, model, stream }) => ({ method, path, model, stream }))).toEqual([
      { method: 'POST', path: '/v1/responses', model: 'gpt-test', stream: false },
      { method: 'POST', path: '/v1/responses', model: 'gpt-test', stream: true },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ model: 'gpt-test', input: 'Hi!' });
  });

  it('gives reply functions the request, so they can tell the endpoints apart by path', async () => {
    mock.setReply('gpt-test', (request) => ({ content: `via ${request.path}` }));

    const response = await client.responses.create({ model: 'gpt-test', input: 'Hi!' });
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi!' }] });

    expect(response.output_text).toBe('via /v1/responses');
    expect(completion.choices[0]?.message.content).toBe('via /v1/chat/completions');
  });
});

describe('previous_response_id', () => {
  const unknownError = (id: string) => ({
    status: 400,
    error: {
      message: `Previous response with id '${id}' not found.`,
      type: 'invalid_request_error',
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    },
  });

  it('continues from a response this mock produced, streamed or not', async () => {
    const first = await client.responses.create({ model: 'gpt-test', input: 'Hi!' });
    const { events } = await collect(await streamed());
    const streamedId = events[0]?.type === 'response.created' ? events[0].response.id : '';

    const second = await client.responses.create({ model: 'gpt-test', input: 'And then?', previous_response_id: first.id });
    const third = await client.responses.create({ model: 'gpt-test', input: 'And then?', previous_response_id: streamedId });

    expect(second).toMatchObject({ status: 'completed', previous_response_id: first.id });
    expect(third.previous_response_id).toBe(streamedId);
  });

  it("refuses an id it did not produce with OpenAI's 400 previous_response_not_found, before consuming a reply", async () => {
    const other = await startMockOpenAI();
    try {
      const elsewhere = await new OpenAI({ apiKey: 'sk-test', baseURL: other.url, maxRetries: 0 }).responses.create({
        model: 'gpt-test',
        input: 'Hi!',
      });
      mock.enqueue('gpt-test', { content: 'queued' });

      const error: unknown = await client.responses
        .create({ model: 'gpt-test', input: 'And then?', previous_response_id: elsewhere.id })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject(unknownError(elsewhere.id));
      expect((await client.responses.create({ model: 'gpt-test', input: 'Hi!' })).output_text).toBe('queued');
    } finally {
      await other.close();
    }
  });

  it('does not remember a response created with store: false, as OpenAI keeps none', async () => {
    const unstored = await client.responses.create({ model: 'gpt-test', input: 'Hi!', store: false });

    expect(unstored).toMatchObject({ store: false });
    await expect(client.responses.create({ model: 'gpt-test', input: 'Again', previous_response_id: unstored.id })).rejects.toMatchObject(
      unknownError(unstored.id),
    );
  });

  it('refuses it on a streamed request too, with a JSON error before any event', async () => {
    await expect(
      client.responses.create({ model: 'gpt-test', input: 'x', previous_response_id: 'resp_nope', stream: true }),
    ).rejects.toMatchObject(unknownError('resp_nope'));
  });
});

describe('streamed responses', () => {
  it("sends OpenAI's events in order, numbered, each with an event: line naming its type, and no [DONE]", async () => {
    const response = await fetch(`${mock.url}/responses`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-test', input: 'Hi!', stream: true }),
    });
    const blocks = (await response.text()).split('\n\n').filter(Boolean);
    const events = blocks.map((block) => {
      const [name, data] = block.split('\n');
      return {
        name: name?.replace('event: ', ''),
        data: JSON.parse(data?.replace('data: ', '') ?? '') as { type: string; sequence_number: number },
      };
    });

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(events.map((event) => event.data.type)).toEqual(completedTextStream(4));
    expect(events.every((event) => event.name === event.data.type)).toBe(true);
    expect(events.map((event) => event.data.sequence_number)).toEqual(events.map((_, index) => index));
    expect(blocks.some((block) => block.includes('[DONE]'))).toBe(false);
  });

  it('streams text deltas of chunkChars that reassemble to the content, and ends with the usage', async () => {
    const { events, error } = await collect(await streamed());

    expect(error).toBeUndefined();
    expect(events.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta)).toEqual([
      'The q',
      'uick ',
      'brown',
      ' fox',
    ]);
    const created = events[0];
    const completed = events.at(-1);
    expect(created?.type === 'response.created' && created.response).toMatchObject({ status: 'in_progress', output: [] });
    expect(completed?.type === 'response.completed' && completed.response).toMatchObject({
      status: 'completed',
      usage: { input_tokens: 1, output_tokens: 5, total_tokens: 6 },
    });
  });

  it('streams function calls as items with argument deltas', async () => {
    mock.setReply('gpt-test', {
      content: 'Checking.',
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
      chunkChars: 8,
    });
    const { events } = await collect(await streamed());

    const types = events.map((event) => event.type);
    expect(types.slice(types.indexOf('response.output_item.done') + 1)).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const added = events.find((event) => event.type === 'response.output_item.added' && event.output_index === 1);
    expect(added).toMatchObject({
      item: { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '', status: 'in_progress' },
    });
    expect(events.find((event) => event.type === 'response.function_call_arguments.done')).toMatchObject({
      output_index: 1,
      name: 'get_weather',
      arguments: '{"city":"Oslo"}',
    });
  });

  it('ends with response.incomplete when the response stops short', async () => {
    mock.setReply('gpt-test', { finishReason: 'length' });
    const { events } = await collect(await streamed());

    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
    expect(events.some((event) => event.type === 'response.completed')).toBe(false);
  });

  it("gives openai's responses.stream() helper the text deltas and the final response", async () => {
    const stream = client.responses.stream({ model: 'gpt-test', input: 'Hi!' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));

    const response = await stream.finalResponse();

    expect(deltas.join('')).toBe('The quick brown fox');
    expect(response).toMatchObject({ status: 'completed', usage: { total_tokens: 6 } });
    // Not output_text: openai 6.30's finalResponse() leaves it out of streamed responses (openai-node#1662).
    expect(response.output[0]).toMatchObject({ type: 'message', content: [{ type: 'output_text', text: 'The quick brown fox' }] });
  });

  it('flushes each event at once: the first delta reaches the client before the next is sent', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, chunkDelayMs: 1_000 });
    const stream = await streamed();
    const events = stream[Symbol.asyncIterator]();

    expect((await events.next()).value?.type).toBe('response.created');
    for (let index = 1; index < 4; index++) {
      const next = events.next();
      await vi.advanceTimersByTimeAsync(1_000);
      await next;
    }
    const delta = events.next();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await delta).value).toMatchObject({ type: 'response.output_text.delta', delta: 'The q' });

    stream.controller.abort();
    await expect(mock.requests[0]?.settled).resolves.toBe('closed-early');
  });

  it('cuts the connection after cutAfterChunks deltas: the openai iterator throws', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, cutAfterChunks: 2 });
    const { events, error } = await collect(await streamed());

    expect(textOf(events)).toBe('The quick ');
    expect(error).toMatchObject({ message: 'terminated' });
    await expect(mock.requests[0]?.settled).resolves.toBe('reset');
  });

  it('ends cleanly after endAfterChunks deltas, without response.completed', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, endAfterChunks: 1 });
    const { events, error } = await collect(await streamed());

    expect(error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'response.output_text.delta', delta: 'The q' });
    await expect(mock.requests[0]?.settled).resolves.toBe('completed');
  });

  it('counts beyond the last delta as after it: endAfterChunks 99 still withholds response.completed', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, endAfterChunks: 99 });
    const { events } = await collect(await streamed());

    expect(textOf(events)).toBe('The quick brown fox');
    expect(events.at(-1)?.type).toBe('response.output_text.delta');
  });

  it('falls silent after hangAfterChunks until the client aborts', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, hangAfterChunks: 0 });
    const stream = await streamed();

    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'response.content_part.added') stream.controller.abort();
    }

    expect(events.map((event) => event.type)).toEqual(openingEvents);
    await expect(mock.requests[0]?.settled).resolves.toBe('closed-early');
  });

  it('sends a malformed data line after malformedAfterChunks deltas: the iterator throws a SyntaxError', async () => {
    mock.setReply('gpt-test', { content: 'The quick brown fox', chunkChars: 5, malformedAfterChunks: 3 });
    const { events, error } = await collect(await streamed());

    expect(textOf(events)).toBe('The quick brown');
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('reports a failure after failAfterChunks deltas with response.failed, then ends', async () => {
    mock.setReply('gpt-test', {
      content: 'The quick brown fox',
      chunkChars: 5,
      failAfterChunks: 2,
      error: { code: 'rate_limit_exceeded', message: 'Slow down.' },
    });
    const { events, error } = await collect(await streamed());

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('The quick ');
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      sequence_number: events.length - 1,
      response: { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow down.' }, output: [] },
    });
  });

  it('answers an error status with a JSON error even when a stream was asked for', async () => {
    mock.setReply('gpt-test', { status: 503 });

    await expect(streamed()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });
});
