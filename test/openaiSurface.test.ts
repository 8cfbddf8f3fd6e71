import OpenAI, { AzureOpenAI } from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { Stream } from 'openai/core/streaming';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AllModelsFailedError, ConfigError, createTieredClient, defineCatalog } from '../src/index.js';
import { inspect } from 'node:util';
import { ask, keys, recordEvents, useFleet, type Recorded } from './fleet.js';

const fleet = useFleet();

/** The recorded events of these names, read when asserted: a live view of the recording. */
function only(events: Recorded[], wanted: string[]): Recorded[] {
  return new Proxy(events, {
    get: (target, key) => {
      const kept = target.filter((e) => wanted.includes(e.name));
      const value = (kept as unknown as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(kept) : value;
    },
  });
}

/** Code written for the official client, knowing nothing of tiers. */
async function summarize(client: OpenAI, model: string): Promise<string> {
  const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Summarize.' }] });
  return completion.choices[0]?.message.content ?? '';
}

/** A catalog whose one provider is an AzureOpenAI client the application made, pointed at the primary mock. */
function azureCatalog() {
  const azure = new AzureOpenAI({ apiKey: 'azure-key-0c1d', endpoint: new URL(fleet.primary.url).origin, apiVersion: '2024-10-21' });
  return defineCatalog({
    providers: { azure: { client: azure } },
    tiers: ['economy'],
    models: [{ id: 'eco-mini', provider: 'azure', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 }],
  });
}

describe('a tiered client as an OpenAI client', () => {
  it('is an instance of OpenAI, and code typed for one takes it and routes through the tiers', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: 'Short.' });

    expect(client).toBeInstanceOf(OpenAI);
    expect(await summarize(client, 'economy')).toBe('Short.');
    expect(fleet.primary.requests[0]?.model).toBe('eco-mini');
  });

  it('serves the resources it does not route, such as models.list(), from the default provider', async () => {
    const client = fleet.client({ defaultProvider: 'secondary' });

    const models = await client.models.list();

    expect(models.object).toBe('list');
    expect(fleet.secondary.requests.map((r) => r.path)).toEqual(['/v1/models']);
    expect(fleet.primary.requests).toHaveLength(0);
  });

  it('announces itself to providers as the official client does, routed or not', async () => {
    const client = fleet.client();

    await client.chat.completions.create({ model: 'economy', messages: ask() });
    await client.models.list();

    const agents = fleet.primary.requests.map((r) => r.headers['user-agent']);
    expect(agents).toEqual([expect.stringMatching(/^OpenAI\/JS \d/), expect.stringMatching(/^OpenAI\/JS \d/)]);
  });

  it('serves those resources from the first provider when no default provider is named', async () => {
    await fleet.client().models.list();

    expect(fleet.primary.requests.map((r) => r.path)).toEqual(['/v1/models']);
  });

  it("sends the resources it does not route through a default provider's own client, such as Azure's, its auth and paths included", async () => {
    const client = createTieredClient({ catalog: azureCatalog() });

    await client.models.list().catch(() => undefined); // the mock knows no Azure paths: only the request matters

    const [request] = fleet.primary.requests;
    expect(request).toMatchObject({ method: 'GET', path: '/openai/models' });
    expect(request?.headers['api-key']).toBe('azure-key-0c1d');
    await client.close();
  });

  it("routes chat through an AzureOpenAI client the application brought, with openai's own retries off", async () => {
    const client = createTieredClient({ catalog: azureCatalog(), retry: { retries: 0 } });

    // The mock speaks no Azure paths (404): what matters is the one request, sent Azure's way.
    await expect(client.chat.completions.create({ model: 'economy', messages: ask() })).rejects.toBeInstanceOf(AllModelsFailedError);

    expect(fleet.primary.requests.map((r) => r.path)).toEqual(['/openai/deployments/eco-mini/chat/completions']);
    expect(fleet.primary.requests[0]?.headers['api-key']).toBe('azure-key-0c1d');
    await client.close();
  });

  it('refuses a default provider the catalog does not have, naming it', () => {
    const make = () => fleet.client({ defaultProvider: 'tertiary' as 'primary' });

    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/defaultProvider.*'tertiary'/);
    expect(() => make()).toThrow(expect.objectContaining({ hint: 'One of: primary, secondary.' }) as Error);
  });

  it('never shows a key when logged, though an OpenAI client holds one', () => {
    const client = fleet.client();

    const shown = inspect(client);

    expect(client.apiKey).toBe(keys.primary);
    expect(shown).not.toContain(keys.primary);
    expect(shown).toBe("TieredClient { tiers: [economy, warm, hot], deployments: 4, defaultProvider: 'primary' }");
  });

  it('keeps routing in a client made by withOptions(), sharing its events', async () => {
    const client = fleet.client();
    const events = only(recordEvents(client), ['request:end']);
    const derived = client.withOptions({ timeout: 5_000 });

    await derived.chat.completions.create({ model: 'economy', messages: ask() });

    expect(derived).toBeInstanceOf(OpenAI);
    expect(events.map((e) => (e.payload as { model: string }).model)).toEqual(['eco-mini']);
  });
});

describe("openai's own helpers over routed calls", () => {
  it('parse() fills message.parsed from a zod response format, routed through the tiers', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { status: 503 });
    fleet.secondary.setReply('eco-mini', { content: '{"city":"Paris","celsius":21}' });
    const Weather = z.object({ city: z.string(), celsius: z.number() });

    const completion = await client.chat.completions.parse({
      model: 'economy',
      messages: ask('Weather in Paris?'),
      response_format: zodResponseFormat(Weather, 'weather'),
    });

    expect(completion.choices[0]?.message.parsed).toEqual({ city: 'Paris', celsius: 21 });
    expect(fleet.secondary.requests.at(-1)?.body).toMatchObject({ response_format: { type: 'json_schema' } });
  });

  it("parse() gives its result the provider's _request_id, as openai's parse() does", async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: '{"city":"Oslo","celsius":3}', headers: { 'x-request-id': 'req_parse_1' } });
    const Weather = z.object({ city: z.string(), celsius: z.number() });

    const completion = await client.chat.completions.parse({
      model: 'economy',
      messages: ask('Weather in Oslo?'),
      response_format: zodResponseFormat(Weather, 'weather'),
    });

    expect(completion._request_id).toBe('req_parse_1');
  });

  it('parse() parses the arguments of zod function tools', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { toolCalls: [{ name: 'lookup', arguments: '{"city":"Oslo"}' }] });

    const completion = await client.chat.completions.parse({
      model: 'economy',
      messages: ask('Weather in Oslo?'),
      tools: [zodFunction({ name: 'lookup', parameters: z.object({ city: z.string() }) })],
    });

    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { parsed_arguments: { city: 'Oslo' } } });
  });

  it('stream() emits ChatCompletionStream events and finalChatCompletion(), falling back before the first chunk', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { content: 'Streamed through a helper.' });
    const deltas: string[] = [];

    const stream = client.chat.completions.stream({ model: 'economy', messages: ask() });
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();

    expect(deltas.join('')).toBe('Streamed through a helper.');
    expect(final.choices[0]?.message.content).toBe('Streamed through a helper.');
  });

  it('runTools() runs every round as a routed call with its own request:end', async () => {
    const client = fleet.client();
    const events = only(recordEvents(client), ['request:end']);
    let round = 0;
    fleet.primary.setReply('eco-mini', () =>
      ++round === 1 ? { toolCalls: [{ name: 'add', arguments: '{"a":2,"b":3}' }] } : { content: 'The sum is 5.' },
    );

    const runner = client.chat.completions.runTools({
      model: 'economy',
      messages: ask('What is 2 + 3?'),
      tools: [
        {
          type: 'function',
          function: {
            name: 'add',
            parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
            description: 'Adds two numbers.',
            function: (args: { a: number; b: number }) => String(args.a + args.b),
            parse: (text: string) => JSON.parse(text) as { a: number; b: number },
          },
        },
      ],
    });
    const content = await runner.finalContent();

    expect(content).toBe('The sum is 5.');
    expect(events).toHaveLength(2);
    expect(events.every((e) => (e.payload as { costUsd: number }).costUsd > 0)).toBe(true);
    const second = fleet.primary.requests[1]?.body as { messages: { role: string; content?: string }[] };
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', content: '5' });
  });
});

describe("openai's helper options", () => {
  it('runTools() takes maxChatCompletions, which openai passes on to every round, and stops after that many rounds', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { toolCalls: [{ name: 'noop', arguments: '{}' }] });
    const noop = { name: 'noop', parameters: { type: 'object', properties: {} }, function: () => 'done', description: 'Does nothing.' };

    const runner = client.chat.completions.runTools(
      { model: 'economy', messages: ask(), tools: [{ type: 'function', function: noop }] },
      { maxChatCompletions: 2 },
    );
    await runner.done();

    expect(fleet.primary.requests).toHaveLength(2);
  });
});

describe("a routed stream as openai's Stream", () => {
  it('is an openai Stream, with a controller that aborts the call', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: 'x'.repeat(400), chunkChars: 4, chunkDelayMs: 1 });

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    expect(stream).toBeInstanceOf(Stream);
    stream.controller.abort();

    await expect(async () => {
      for await (const _ of stream);
    }).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('turns into a ReadableStream of JSON lines for a route handler', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: 'Hello, route handler.' });

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    const body = await new Response(stream.toReadableStream()).text();
    const chunks = body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { choices: { delta: { content?: string } }[] });

    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello, route handler.');
  });

  it('tees into two streams that each read every chunk', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: 'Twice over.' });

    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    const [left, right] = stream.tee();
    const read = async (s: AsyncIterable<{ choices: { delta: { content?: string | null } }[] }>) => {
      let text = '';
      for await (const chunk of s) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };

    expect(await Promise.all([read(left), read(right)])).toEqual(['Twice over.', 'Twice over.']);
  });
});

describe('models the catalog does not know', () => {
  it('are a ConfigError naming the model and listing what the catalog has', async () => {
    const model: string = 'gpt-unknown';
    const error = await fleet
      .client()
      .chat.completions.create({ model, messages: ask() })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ message: expect.stringContaining("'gpt-unknown'") as string });
    expect((error as ConfigError).hint).toMatch(/economy, warm, hot.*eco-mini, warm-std, hot-max.*unknownModels: 'passthrough'/);
  });

  it("with unknownModels: 'passthrough', go unchanged to the default provider, with retries and events, no fallback", async () => {
    const client = fleet.client({ unknownModels: 'passthrough', defaultProvider: 'secondary' });
    const events = only(recordEvents(client), ['attempt:error', 'request:end']);
    fleet.secondary.enqueue('gpt-unknown', { status: 503 });
    fleet.secondary.setReply('gpt-unknown', { content: 'Passed through.' });
    const model: string = 'gpt-unknown';

    const completion = await client.chat.completions.create({ model, messages: ask() });

    expect(completion.choices[0]?.message.content).toBe('Passed through.');
    expect(fleet.secondary.requests.map((r) => r.model)).toEqual(['gpt-unknown', 'gpt-unknown']);
    expect(events.map((e) => e.name)).toEqual(['attempt:error', 'request:end']);
    expect(events[1]?.payload).toMatchObject({ model: 'gpt-unknown', provider: 'secondary', costUsd: 0 });
  });

  it("with unknownModels: 'passthrough', claim no savings and stay out of the cost report: the catalog has no price for them", async () => {
    const client = fleet.client({ unknownModels: 'passthrough' });
    const model: string = 'gpt-unknown';

    await client.chat.completions.create({ model, messages: ask() });

    expect(client.metrics().byTier['passthrough']).toMatchObject({ requests: 1, costUsd: 0, savedVsBaselineUsd: 0 });
    expect(client.costReport().usage).toMatchObject({ inputTokens: 0, outputTokens: 0 });
  });

  it("with unknownModels: 'passthrough', fail with AllModelsFailedError when the default provider keeps failing", async () => {
    const client = fleet.client({ unknownModels: 'passthrough', retry: { retries: 1 } });
    fleet.primary.setReply('gpt-unknown', { status: 503 });
    const model: string = 'gpt-unknown';

    const error = await client.chat.completions.create({ model, messages: ask() }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect(fleet.secondary.requests).toHaveLength(0);
  });
});

describe('requests the tiered client cannot honour', () => {
  it("runTools() with n > 1 fails at once with openai's own error, sending nothing", async () => {
    const client = fleet.client();

    const runner = client.chat.completions.runTools({ model: 'economy', messages: ask(), n: 2, tools: [] });
    const error = await runner.finalContent().catch((e: unknown) => e);

    expect(error).toMatchObject({ message: expect.stringContaining('only support n=1') as string });
    expect(fleet.primary.requests).toHaveLength(0);
  });

  it('a stream with n > 1 falls back and assembles every choice', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { status: 503 });
    fleet.secondary.setReply('eco-mini', { content: 'Two of these.' });

    const stream = client.tieredChat({ model: 'economy', messages: ask(), n: 2, stream: true });
    const result = await stream.final();

    expect(result.completion.choices.map((c) => c.message.content)).toEqual(['Two of these.', 'Two of these.']);
    expect(result.provider).toBe('secondary');
  });
});

describe("openai's internals the drop-in relies on (a release that changes them fails here first)", () => {
  it('an OpenAI client holds its resources as plain writable fields, which a subclass replaces', () => {
    const raw = new OpenAI({ apiKey: 'sk-contract' });

    for (const resource of ['chat', 'embeddings', 'responses'] as const)
      expect(Object.getOwnPropertyDescriptor(raw, resource)).toMatchObject({ writable: true });
  });

  it('a Stream keeps its controller as a field and tee() reads through this.iterator()', async () => {
    let reads = 0;
    const stream = new Stream<number>(async function* () {
      reads++;
      yield 1;
    }, new AbortController());

    const [left, right] = stream.tee();
    const seen: number[] = [];
    for await (const n of left) seen.push(n);
    for await (const n of right) seen.push(n);

    expect(Object.getOwnPropertyDescriptor(stream, 'controller')).toMatchObject({ writable: true });
    expect(seen).toEqual([1, 1]);
    expect(reads).toBe(1);
  });
});
