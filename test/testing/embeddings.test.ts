import OpenAI, { type APIError } from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';

let mock: MockOpenAI;
let client: OpenAI;

beforeEach(async () => {
  mock = await startMockOpenAI();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
});
afterEach(async () => {
  vi.useRealTimers();
  await mock.close();
});

const model = 'text-embedding-3-small';

async function embed(input: string, dimensions?: number): Promise<number[]> {
  const response = await client.embeddings.create(dimensions === undefined ? { model, input } : { model, input, dimensions });
  return response.data[0]!.embedding;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  const dot = (x: readonly number[], y: readonly number[]) => x.reduce((sum, value, index) => sum + value * y[index]!, 0);
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

describe('POST /v1/embeddings', () => {
  it('answers the openai client with one unit-length, 256-dimension embedding and usage', async () => {
    const response = await client.embeddings.create({ model, input: 'The quick brown fox' });

    expect(response).toMatchObject({
      object: 'list',
      model,
      data: [{ object: 'embedding', index: 0 }],
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    const [vector] = response.data.map((item) => item.embedding);
    expect(vector).toHaveLength(256);
    expect(Math.hypot(...vector!)).toBeCloseTo(1, 6);
  });

  it('is deterministic: the same text gets the same vector, as floats or as base64', async () => {
    const first = await embed('Deterministic vectors, please.');
    const second = await embed('Deterministic vectors, please.');
    const asFloats = await client.embeddings.create({ model, input: 'Deterministic vectors, please.', encoding_format: 'float' });

    expect(second).toEqual(first);
    expect(asFloats.data[0]?.embedding).toEqual(first);
  });

  it('puts paraphrases close together and unrelated texts far apart', async () => {
    const france = await embed('What is the capital of France?');
    const paraphrase = await embed("what's the capital of france");
    const bread = await embed('How do I bake sourdough bread at home?');
    const weather = await embed('Will it rain in Oslo tomorrow afternoon?');

    expect(cosine(france, paraphrase)).toBeGreaterThan(0.9);
    expect(cosine(france, bread)).toBeLessThan(0.5);
    expect(cosine(france, weather)).toBeLessThan(0.5);
    expect(cosine(bread, weather)).toBeLessThan(0.5);
    expect(cosine(france, await embed('What is the capital of Germany?'))).toBeLessThan(cosine(france, paraphrase));
  });

  it('embeds a batch in order, each as it would be alone, with usage summed', async () => {
    const inputs = ['first text', 'second text here', 'third'];

    const response = await client.embeddings.create({ model, input: inputs });

    expect(response.data.map((item) => item.index)).toEqual([0, 1, 2]);
    for (const [index, input] of inputs.entries()) expect(response.data[index]?.embedding).toEqual(await embed(input));
    expect(response.usage).toEqual({ prompt_tokens: 3 + 4 + 2, total_tokens: 9 });
  });

  it('embeds token arrays, one word per token', async () => {
    const response = await client.embeddings.create({ model, input: [[1212, 318], [1212, 318], [42]] });

    expect(response.data[0]?.embedding).toEqual(response.data[1]?.embedding);
    expect(response.data[2]?.embedding).not.toEqual(response.data[0]?.embedding);
    expect(response.usage.prompt_tokens).toBe(5);
  });

  it('honours dimensions', async () => {
    const vector = await embed('Fewer dimensions', 64);

    expect(vector).toHaveLength(64);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
  });

  it('refuses an invalid request with a 400 that consumes no scripted reply', async () => {
    mock.enqueue(model, { status: 500 });

    await expect(client.embeddings.create({ model, input: '' })).rejects.toMatchObject({ status: 400, param: 'input' });
    await expect(client.embeddings.create({ model, input: 'x', dimensions: 0 })).rejects.toMatchObject({
      status: 400,
      param: 'dimensions',
    });
    await expect(embed('now the scripted reply')).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('records the requests like chat ones', async () => {
    await client.embeddings.create({ model, input: ['a', 'b'], dimensions: 8 });

    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]).toMatchObject({ method: 'POST', path: '/v1/embeddings', model, stream: false });
    // The openai client asks for base64 unless told otherwise, and decodes it.
    expect(mock.requests[0]?.body).toEqual({ model, input: ['a', 'b'], dimensions: 8, encoding_format: 'base64' });
    expect(mock.requestsFor(model)).toHaveLength(1);
    await expect(mock.requests[0]?.settled).resolves.toBe('completed');
  });
});

describe('scripted replies apply to embeddings as to chat', () => {
  it('sends a scripted status with its error body and headers', async () => {
    mock.setReply(model, { status: 500, headers: { 'x-scripted': 'yes' } });

    const error: unknown = await embed('hello').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500, type: 'server_error' });
    expect((error as APIError).headers?.get('x-scripted')).toBe('yes');
  });

  it('serves queued replies first, then the default', async () => {
    mock.enqueue(model, { status: 429 }, { usage: { promptTokens: 99 } });

    await expect(embed('hello')).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(client.embeddings.create({ model, input: 'hello' })).resolves.toMatchObject({ usage: { prompt_tokens: 99 } });
    await expect(client.embeddings.create({ model, input: 'hello' })).resolves.toMatchObject({ usage: { prompt_tokens: 2 } });
  });

  it('waits latencyMs before answering, on the clock fake timers control', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    mock.setReply(model, { latencyMs: 1_000 });
    let answered = false;

    const pending = embed('slow').finally(() => (answered = true));
    await mock.waitForRequests(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    await expect(pending).resolves.toHaveLength(256);
  });

  it("resets the connection on fault 'reset' and hangs on 'hang' until the client leaves", async () => {
    mock.enqueue(model, { fault: 'reset' }, { fault: 'hang' });
    const controller = new AbortController();

    await expect(embed('reset')).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    const hanging = client.embeddings.create({ model, input: 'hang' }, { signal: controller.signal });
    await mock.waitForRequests(2);
    controller.abort();

    await expect(hanging).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    await expect(mock.requests[0]?.settled).resolves.toBe('reset');
    await expect(mock.requests[1]?.settled).resolves.toBe('closed-early');
  });

  it("sends a body that is not JSON on fault 'malformed'", async () => {
    mock.setReply(model, { fault: 'malformed' });

    await expect(embed('hello')).rejects.toBeInstanceOf(SyntaxError);
  });
});
