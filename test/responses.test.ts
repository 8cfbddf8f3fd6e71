import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AllModelsFailedError,
  ConfigError,
  createTieredClient,
  defineCatalog,
  StreamInterruptedError,
  TieredResponseStream,
  type TieredClientOptions,
} from '../src/index.js';
import { instrumentOpenTelemetry } from '../src/otel/index.js';
import { keys, names, recordEvents, useFleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';
import { loadOpenApiValidator, type SchemaValidator } from './testing/openapiValidator.js';
import { completedTextStream } from './support/responseEvents.js';

const fleet = useFleet();

/**
 * The fleet's two mocks behind a catalog with Responses deployments: `warm` on both providers,
 * `hot` on the secondary, and a chat-only `economy` tier.
 */
function responsesCatalog() {
  return defineCatalog({
    providers: {
      primary: { apiKey: keys.primary, baseURL: fleet.primary.url },
      secondary: { apiKey: keys.secondary, baseURL: fleet.secondary.url },
    },
    tiers: ['economy', 'warm', 'hot'],
    models: [
      { id: 'eco-mini', provider: 'primary', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      {
        id: 'warm-a',
        provider: 'primary',
        tier: 'warm',
        inputCostPerMTok: 1,
        outputCostPerMTok: 4,
        cachedInputCostPerMTok: 0.25,
        contextWindow: 128_000,
        capabilities: ['tools', 'json_schema', 'responses'],
      },
      {
        id: 'warm-b',
        provider: 'secondary',
        tier: 'warm',
        inputCostPerMTok: 1,
        outputCostPerMTok: 4,
        contextWindow: 128_000,
        capabilities: ['responses'],
      },
      { id: 'hot-max', provider: 'secondary', tier: 'hot', inputCostPerMTok: 5, outputCostPerMTok: 20, contextWindow: 200_000 },
    ],
  });
}

const clients: { close(): Promise<void> }[] = [];
function client(options: Omit<TieredClientOptions<ReturnType<typeof responsesCatalog>>, 'catalog'> = {}) {
  const made = createTieredClient({
    catalog: responsesCatalog(),
    ...options,
    retry: { retries: 0, minTimeoutMs: 0, maxTimeoutMs: 0, ...options.retry },
  });
  clients.push(made);
  return made;
}

let validate: SchemaValidator;
beforeAll(() => {
  validate = loadOpenApiValidator();
});
afterEach(() => vi.useRealTimers());
afterAll(() => Promise.all(clients.map((c) => c.close())));

const responsesTo = (mock: { requests: readonly { path: string; body: unknown }[] }) =>
  mock.requests.filter((r) => r.path === '/v1/responses');

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<{ events: ResponseStreamEvent[]; error?: unknown }> {
  const events: ResponseStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

describe('client.responses.create()', () => {
  it("routes a tier to its first Responses deployment and answers with openai's Response, output_text included", async () => {
    const tiered = client();
    fleet.primary.setReply('warm-a', { content: 'Hello from warm-a' });

    const response = await tiered.responses.create({ model: 'warm', input: 'Hi!' });

    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'warm-a' });
    expect(response.output_text).toBe('Hello from warm-a');
    expect(responsesTo(fleet.primary)).toMatchObject([{ model: 'warm-a', stream: false }]);
    for (const request of fleet.primary.requests) expect(validate('CreateResponse', request.body).errors).toEqual([]);
  });

  it('prices the answer from its usage, cached input at the cached price, with operation responses on every event', async () => {
    const tiered = client();
    const events = recordEvents(tiered);
    fleet.primary.setReply('warm-a', { usage: { promptTokens: 1_000, completionTokens: 100, cachedTokens: 400 } });

    await tiered.responses.create({ model: 'warm-a', input: 'Hi!' });

    // 600 × $1 + 400 × $0.25 + 100 × $4 per million tokens
    const end = events.find((e) => e.name === 'request:end');
    expect(end?.payload).toMatchObject({ operation: 'responses', model: 'warm-a', costUsd: 0.0011, finishReasons: ['stop'] });
    expect(
      events.filter((e) => 'operation' in e.payload).every((e) => (e.payload as { operation: string }).operation === 'responses'),
    ).toBe(true);
    expect(tiered.metrics().byOperation.responses).toMatchObject({ requests: 1, costUsd: 0.0011, inputTokens: 1_000, outputTokens: 100 });
  });

  it('falls back on a 503 to the next Responses deployment, never to a chat-only one', async () => {
    const tiered = client({ fallback: 'escalate' });
    const events = recordEvents(tiered);
    fleet.primary.setReply('warm-a', { status: 503 });
    fleet.secondary.setReply('warm-b', { status: 503 });

    const error = await tiered.responses.create({ model: 'warm', input: 'Hi!' }).catch((e: unknown) => e);

    // warm-a, warm-b, and nothing from hot: hot-max does not list 'responses'.
    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect(names(events).filter((name) => name === 'fallback')).toHaveLength(1);
    expect(fleet.secondary.requestsFor('hot-max')).toHaveLength(0);
    fleet.secondary.setReply('warm-b', { content: 'from warm-b' });

    const answered = await tiered.responses.create({ model: 'warm', input: 'Again' });

    expect(answered.output_text).toBe('from warm-b');
  });

  it('skips the Responses deployments whose capabilities lack what the request uses, as chat does (tools, a JSON schema)', async () => {
    const tiered = client();
    fleet.primary.setReply('warm-a', { status: 503 });
    const tool = { type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} }, strict: false } as const;
    const schema = { type: 'json_schema', name: 'city', schema: { type: 'object', properties: {} } } as const;

    const withTools = await tiered.responses.create({ model: 'warm', input: 'Hi!', tools: [tool] }).catch((e: unknown) => e);
    const withSchema = await tiered.responses
      .create({ model: 'warm-b', input: 'Hi!', text: { format: schema } }, { fallback: 'none' })
      .catch((e: unknown) => e);

    // warm-b lists only 'responses': never sent a tool, nor a schema.
    expect(withTools).toBeInstanceOf(AllModelsFailedError);
    expect(withSchema).toBeInstanceOf(ConfigError);
    expect((withSchema as ConfigError).message).toContain("no deployment for 'warm-b' or its fallbacks supports json_schema");
    expect(responsesTo(fleet.secondary)).toHaveLength(0);
  });

  it("refuses a tier or a model without a Responses deployment, and 'auto', with a ConfigError before any request", async () => {
    const tiered = client();

    const tier = await tiered.responses.create({ model: 'economy', input: 'Hi!' }).catch((e: unknown) => e);
    const model = await tiered.responses.create({ model: 'hot-max', input: 'Hi!' }).catch((e: unknown) => e);
    const auto = await tiered.responses.create({ model: 'auto', input: 'Hi!' }).catch((e: unknown) => e);

    expect(tier).toBeInstanceOf(ConfigError);
    expect((tier as ConfigError).message).toContain("'economy' has no deployment that serves the Responses API");
    expect((tier as ConfigError).hint).toContain("add 'responses' to the capabilities");
    expect((model as ConfigError).message).toContain("'hot-max'");
    expect((auto as ConfigError).message).toContain("'auto' routes chat completions only");
    expect(fleet.primary.requests.length + fleet.secondary.requests.length).toBe(0);
  });

  it("refuses a request without a model (openai's types allow one, for stored prompts) with a ConfigError naming params.model", async () => {
    const tiered = client();

    const error = await tiered.responses.create({ input: 'Hi!' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'params.model' });
    expect(fleet.primary.requests.length + fleet.secondary.requests.length).toBe(0);
  });

  it('answers an identical stateless request from the cache', async () => {
    const tiered = client({ cache: {} });

    const first = await tiered.responses.create({ model: 'warm', input: 'Hi!' });
    const second = await tiered.responses.create({ model: 'warm', input: 'Hi!' });

    expect(second.id).toBe(first.id);
    expect(second.output_text).toBe(first.output_text);
    expect(responsesTo(fleet.primary)).toHaveLength(1);
  });
});

describe('stateful requests', () => {
  it('go to the deployment that produced the earlier response, though another is first in the tier, and are never cached', async () => {
    const tiered = client({ cache: {} });
    fleet.primary.enqueue('warm-a', { status: 503 });
    const first = await tiered.responses.create({ model: 'warm', input: 'Hi!' });
    expect(first.model).toBe('warm-b');

    const follow = () => tiered.responses.create({ model: 'warm', input: 'And then?', previous_response_id: first.id });
    const second = await follow();
    await follow();

    expect(second.previous_response_id).toBe(first.id);
    expect(responsesTo(fleet.primary)).toHaveLength(1); // the 503 alone
    expect(responsesTo(fleet.secondary)).toHaveLength(3);
  });

  it('never fall back to another deployment: the one holding the state failing fails the call', async () => {
    const tiered = client({ fallback: 'escalate' });
    const first = await tiered.responses.create({ model: 'warm', input: 'Hi!' });
    fleet.primary.setReply('warm-a', { status: 503 });

    const error = await tiered.responses
      .create({ model: 'warm', input: 'And then?', previous_response_id: first.id })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect(responsesTo(fleet.secondary)).toHaveLength(0);
  });

  it('refuse a follow-up naming a model its provider does not serve, rather than answer with the earlier model', async () => {
    const tiered = client({ fallback: 'none' });
    const first = await tiered.responses.create({ model: 'warm-a', input: 'Hi!' });

    const other = await tiered.responses
      .create({ model: 'warm-b', input: 'And then?', previous_response_id: first.id })
      .catch((e: unknown) => e);
    const chatOnly = await tiered.responses
      .create({ model: 'economy', input: 'And then?', previous_response_id: first.id })
      .catch((e: unknown) => e);
    const elsewhere = await tiered.responses
      .create({ model: 'warm', input: 'And then?', previous_response_id: first.id }, { providers: { ignore: ['primary'] } })
      .catch((e: unknown) => e);

    expect(other).toBeInstanceOf(ConfigError);
    expect(elsewhere).toMatchObject({ field: 'options.providers', message: expect.stringContaining('leaves out primary') as unknown });
    expect((other as ConfigError).message).toContain("'warm-b' has no deployment on primary that serves the Responses API");
    expect((chatOnly as ConfigError).message).toContain("'economy' has no deployment that serves the Responses API");
    expect(responsesTo(fleet.primary)).toHaveLength(1);
    expect(responsesTo(fleet.secondary)).toHaveLength(0);
  });

  it("route as usual when the client does not know the id; a deployment that does not know it answers openai's 400", async () => {
    const tiered = client();

    const error = await tiered.responses
      .create({ model: 'warm', input: 'And then?', previous_response_id: 'resp_from_elsewhere' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'previous_response_not_found' });
    expect(responsesTo(fleet.secondary)).toHaveLength(0);
  });
});

describe('client.responses.create({ stream: true })', () => {
  it("passes the upstream events through, as openai's Stream, and pins a follow-up to the deployment that streamed", async () => {
    const tiered = client();
    const events = recordEvents(tiered);
    fleet.primary.setReply('warm-a', { content: 'The quick brown fox', chunkChars: 5, usage: { promptTokens: 10, completionTokens: 5 } });

    const stream = await tiered.responses.create({ model: 'warm', input: 'Hi!', stream: true });
    const { events: streamed, error } = await collect(stream);

    expect(stream).toBeInstanceOf(TieredResponseStream);
    expect(error).toBeUndefined();
    expect(streamed.map((e) => e.type)).toEqual(completedTextStream(4));
    expect(events.find((e) => e.name === 'request:end')?.payload).toMatchObject({ operation: 'responses', costUsd: 0.00003, stream: true });
    const id = streamed[0]?.type === 'response.created' ? streamed[0].response.id : '';
    await tiered.responses.create({ model: 'warm-b', input: 'More', previous_response_id: id });
    expect(responsesTo(fleet.primary)).toHaveLength(2);
    for (const request of responsesTo(fleet.primary)) expect(validate('CreateResponse', request.body).errors).toEqual([]);
  });

  it('falls back before the first event, unseen', async () => {
    const tiered = client();
    fleet.primary.setReply('warm-a', { status: 503 });
    fleet.secondary.setReply('warm-b', { content: 'from warm-b' });

    const stream = await tiered.responses.create({ model: 'warm', input: 'Hi!', stream: true });
    const { events, error } = await collect(stream);

    expect(error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { model: 'warm-b' } });
  });

  it('falls back unseen when the response fails after its opening events, before any output', async () => {
    const tiered = client();
    fleet.primary.setReply('warm-a', { content: 'The quick brown fox', failAfterChunks: 0 });
    fleet.secondary.setReply('warm-b', { content: 'from warm-b' });

    const { events, error } = await collect(await tiered.responses.create({ model: 'warm', input: 'Hi!', stream: true }));

    expect(error).toBeUndefined();
    // One response.created, warm-b's: warm-a's opening events were never shown.
    expect(events.filter((e) => e.type === 'response.created')).toMatchObject([{ response: { model: 'warm-b' } }]);
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { model: 'warm-b' } });
  });

  it('falls back unseen when the response is silent past timeouts.firstTokenMs after its opening events', async () => {
    useFakeClock();
    const tiered = client({ timeouts: { firstTokenMs: 50, idleMs: 60_000 } });
    // The opening events come at 30 ms: a limit they restarted would end at 80 ms, not 50.
    fleet.primary.setReply('warm-a', { content: 'The quick brown fox', hangAfterChunks: 0, latencyMs: 30 });
    fleet.secondary.setReply('warm-b', { content: 'from warm-b' });

    const starting = tiered.responses.create({ model: 'warm', input: 'Hi!', stream: true });
    await fleet.primary.waitForRequests(1);
    await advance(30);
    await advance(20);
    const { events, error } = await collect(await starting);

    expect(error).toBeUndefined();
    expect(events.filter((e) => e.type === 'response.created')).toMatchObject([{ response: { model: 'warm-b' } }]);
    await expect(fleet.primary.requests[0]!.settled).resolves.toBe('closed-early');
  });

  it('throws StreamInterruptedError when the connection is cut after the first event', async () => {
    const tiered = client();
    fleet.primary.setReply('warm-a', { content: 'The quick brown fox', chunkChars: 5, cutAfterChunks: 2 });

    const { error } = await collect(await tiered.responses.create({ model: 'warm', input: 'Hi!', stream: true }));

    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error).toMatchObject({ partialText: 'The quick ', model: 'warm-a' });
    expect(responsesTo(fleet.secondary)).toHaveLength(0);
  });

  it('throws StreamInterruptedError on a response.failed event, and on an end without response.completed', async () => {
    const tiered = client();
    const events = recordEvents(tiered);
    fleet.primary.enqueue(
      'warm-a',
      { content: 'The quick brown fox', chunkChars: 5, failAfterChunks: 1 },
      { content: 'The quick brown fox', chunkChars: 5, endAfterChunks: 1 },
    );

    const failed = await collect(await tiered.responses.create({ model: 'warm', input: 'Hi!', stream: true }));
    const ended = await collect(await tiered.responses.create({ model: 'warm', input: 'Hi!', stream: true }));

    expect(failed.error).toBeInstanceOf(StreamInterruptedError);
    expect((failed.error as StreamInterruptedError).message).toContain('The response failed');
    expect(failed.events.some((e) => e.type === 'response.failed')).toBe(false);
    expect(ended.error).toBeInstanceOf(StreamInterruptedError);
    expect(names(events).filter((name) => name === 'request:error')).toHaveLength(2);
  });

  it('aborts the upstream through its controller', async () => {
    const tiered = client();
    fleet.primary.setReply('warm-a', { content: 'The quick brown fox', chunkChars: 5, hangAfterChunks: 1 });

    const stream = await tiered.responses.create({ model: 'warm', input: 'Hi!', stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    stream.controller.abort();

    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
    await expect(fleet.primary.requests[0]?.settled).resolves.toBe('closed-early');
  });

  it("works under openai's responses.stream() helper, to its finalResponse()", async () => {
    const tiered = client();
    fleet.primary.setReply('warm-a', { content: 'The quick brown fox', chunkChars: 5 });
    const deltas: string[] = [];

    const stream = tiered.responses.stream({ model: 'warm', input: 'Hi!' });
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();

    expect(deltas.join('')).toBe('The quick brown fox');
    expect(response).toMatchObject({ status: 'completed', model: 'warm-a' });
  });
});

describe("openai's helpers and adapters", () => {
  it('responses.parse() with zodTextFormat parses the routed answer', async () => {
    const tiered = client();
    fleet.primary.setReply('warm-a', { content: '{"city":"Oslo","celsius":7}' });
    const Weather = z.object({ city: z.string(), celsius: z.number() });

    const response = await tiered.responses.parse({
      model: 'warm',
      input: 'Weather?',
      text: { format: zodTextFormat(Weather, 'weather') },
    });

    expect(response.output_parsed).toEqual({ city: 'Oslo', celsius: 7 });
  });

  it("OpenTelemetry names a Responses call 'chat', with openai.api.type 'responses'", async () => {
    const tiered = client();
    const spans = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    const stop = instrumentOpenTelemetry(tiered, { tracerProvider });

    await tiered.responses.create({ model: 'warm', input: 'Hi!' });
    stop();

    const call = spans.getFinishedSpans().find((span) => span.name === 'chat warm');
    expect(call?.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'openai.api.type': 'responses' });
    await tracerProvider.shutdown();
  });
});
