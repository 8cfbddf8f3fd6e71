import type OpenAI from 'openai';
import type { APIPromise } from 'openai';
import type { Stream } from 'openai/core/streaming';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { Response, ResponseCreateParamsNonStreaming, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionRunner,
  ChatCompletionStream,
  ChatCompletionStreamingRunner,
  ParsedChatCompletion,
} from 'openai/resources/chat/completions';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  createTieredClient,
  defineCatalog,
  type ProviderName,
  type TieredChatResult,
  type TieredPromise,
  type TieredResponseStream,
  type TieredStream,
} from '../src/index.js';

const catalog = defineCatalog({
  providers: { openai: { apiKey: 'sk-test' }, local: { apiKey: 'sk-local', baseURL: 'http://127.0.0.1:1/v1' } },
  tiers: ['economy', 'hot'],
  models: [
    { id: 'gpt-4o-mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
    { id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
    {
      id: 'text-embedding-3-small',
      provider: 'openai',
      tier: 'economy',
      inputCostPerMTok: 0.02,
      contextWindow: 8_191,
      capabilities: ['embeddings'],
    },
  ],
});
const client = createTieredClient({ catalog });

// Params as code written for the official client types them: `model` is a plain string.
declare const nonStreaming: ChatCompletionCreateParamsNonStreaming;
declare const streaming: ChatCompletionCreateParamsStreaming;
declare const either: ChatCompletionCreateParams;
declare const responseParams: ResponseCreateParamsNonStreaming; // model?: string, as openai types it

describe('the tiered client as an OpenAI client, in types', () => {
  it('is assignable to OpenAI, so code typed for the official client takes it', () => {
    expectTypeOf(client).toMatchTypeOf<OpenAI>();
    const takesOpenAI = (openai: OpenAI): OpenAI => openai;
    takesOpenAI(client);
    takesOpenAI(client.withOptions({ timeout: 5_000 }));
  });

  it("takes openai's own params (a model: string) and returns what openai's create() returns", () => {
    expectTypeOf(client.chat.completions.create(nonStreaming)).toMatchTypeOf<APIPromise<ChatCompletion>>();
    expectTypeOf(client.chat.completions.create(nonStreaming)).resolves.toMatchTypeOf<ChatCompletion>();
    expectTypeOf(client.chat.completions.create(streaming)).toMatchTypeOf<APIPromise<Stream<ChatCompletionChunk>>>();
    expectTypeOf(client.chat.completions.create(streaming)).resolves.toMatchTypeOf<TieredStream>();
    expectTypeOf(client.chat.completions.create(either)).toMatchTypeOf<APIPromise<ChatCompletion | Stream<ChatCompletionChunk>>>();
  });

  it('returns a TieredPromise that is an APIPromise, and a TieredStream that is a Stream of chunks', () => {
    expectTypeOf<TieredPromise<ChatCompletion>>().toMatchTypeOf<APIPromise<ChatCompletion>>();
    expectTypeOf<TieredStream>().toMatchTypeOf<Stream<ChatCompletionChunk>>();
    expectTypeOf<TieredStream['toReadableStream']>().returns.toEqualTypeOf<ReadableStream>();
    expectTypeOf<TieredStream['tee']>().returns.toEqualTypeOf<[Stream<ChatCompletionChunk>, Stream<ChatCompletionChunk>]>();
    expectTypeOf<TieredStream['controller']>().toEqualTypeOf<AbortController>();
  });

  it('still makes a misspelt literal tier a type error for create()', () => {
    // @ts-expect-error 'hott' is not a tier
    void client.chat.completions.create({ model: 'hott', messages: [] });
    // @ts-expect-error 'hott' is not a tier, streaming either
    void client.chat.completions.create({ model: 'hott', messages: [], stream: true });
    void client.chat.completions.create({ model: 'economy', messages: [], stream: true });
    const model: string = 'hott';
    void client.chat.completions.create({ model, messages: [] }); // a string: checked at run time
  });

  it('takes a string model in tieredChat() too, and still refuses a misspelt literal', () => {
    const model: string = 'economy';
    expectTypeOf(client.tieredChat({ model, messages: [] })).resolves.toEqualTypeOf<TieredChatResult>();
    expectTypeOf(client.tieredChat({ model, messages: [], stream: true })).toEqualTypeOf<TieredStream>();
    // @ts-expect-error 'hott' is not a tier
    void client.tieredChat({ model: 'hott', messages: [] });
  });

  it("makes a misspelt literal tier a type error for openai's helpers too, and takes a string", () => {
    // @ts-expect-error 'hott' is not a tier
    void client.chat.completions.parse({ model: 'hott', messages: [] });
    // @ts-expect-error 'hott' is not a tier
    void client.chat.completions.stream({ model: 'hott', messages: [] });
    // @ts-expect-error 'hott' is not a tier
    void client.chat.completions.runTools({ model: 'hott', messages: [], tools: [] });
    const model: string = 'hott';
    void client.chat.completions.parse({ model, messages: [] });
    void client.chat.completions.stream({ model, messages: [] });
  });

  it('types parse() as ParsedChatCompletion, message.parsed from the zod schema', () => {
    const Weather = z.object({ city: z.string(), celsius: z.number() });
    const parsed = client.chat.completions.parse({
      model: 'economy',
      messages: [],
      response_format: zodResponseFormat(Weather, 'weather'),
    });

    expectTypeOf(parsed).resolves.toMatchTypeOf<ParsedChatCompletion<{ city: string; celsius: number }>>();
    expectTypeOf(parsed).resolves.toHaveProperty('choices').items.toHaveProperty('message').toHaveProperty('parsed').toEqualTypeOf<{
      city: string;
      celsius: number;
    } | null>();
  });

  it("types stream() as openai's ChatCompletionStream and runTools() as its ChatCompletionRunner", () => {
    expectTypeOf(client.chat.completions.stream({ model: 'economy', messages: [] })).toEqualTypeOf<ChatCompletionStream<null>>();
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'now', description: 'The time.', parameters: { type: 'object', properties: {} }, function: () => '12:00' },
      },
    ];
    expectTypeOf(client.chat.completions.runTools({ model: 'economy', messages: [], tools })).toEqualTypeOf<ChatCompletionRunner<null>>();
    expectTypeOf(client.chat.completions.runTools({ model: 'economy', messages: [], tools, stream: true })).toEqualTypeOf<
      ChatCompletionStreamingRunner<null>
    >();
  });

  it("takes runTools()'s own maxChatCompletions and the per-call options of create(), for every round", () => {
    const tools = [
      { type: 'function' as const, function: { name: 'now', description: 'The time.', parameters: {}, function: () => '12:00' } },
    ];
    client.chat.completions.runTools(
      { model: 'economy', messages: [], tools },
      { maxChatCompletions: 3, fallback: 'none', cacheNamespace: 'tenant-1', providers: { only: ['local'] } },
    );
    // @ts-expect-error cache is false or 'refresh'
    client.chat.completions.runTools({ model: 'economy', messages: [], tools }, { cache: true });
  });

  it('types defaultProvider by the providers of the catalog', () => {
    expectTypeOf<ProviderName<typeof catalog>>().toEqualTypeOf<'openai' | 'local'>();
    createTieredClient({ catalog, defaultProvider: 'local', unknownModels: 'passthrough' });
    // @ts-expect-error 'locla' is not a provider of the catalog
    createTieredClient({ catalog, defaultProvider: 'locla' });
    // @ts-expect-error unknownModels is 'reject' or 'passthrough'
    createTieredClient({ catalog, unknownModels: 'allow' });
  });
});

describe('embeddings and the Responses API, in types', () => {
  it("type embeddings.create() as openai's, with a misspelt literal model an error and a string accepted", () => {
    expectTypeOf(client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' })).toMatchTypeOf<
      APIPromise<CreateEmbeddingResponse>
    >();
    const model: string = 'text-embedding-3-small';
    void client.embeddings.create({ model, input: ['a', 'b'] });
    // @ts-expect-error 'text-embeding-3-small' is no model of the catalog
    void client.embeddings.create({ model: 'text-embeding-3-small', input: 'hi' });
  });

  it("type responses.create() as openai's: a Response, or with stream: true a TieredResponseStream that is an openai Stream", () => {
    expectTypeOf(client.responses.create({ model: 'economy', input: 'hi' })).toMatchTypeOf<APIPromise<Response>>();
    const stream = client.responses.create({ model: 'economy', input: 'hi', stream: true });
    expectTypeOf(stream).resolves.toMatchTypeOf<TieredResponseStream>();
    expectTypeOf(stream).toMatchTypeOf<APIPromise<Stream<ResponseStreamEvent>>>();
    void client.responses.create(responseParams);
    // @ts-expect-error 'hott' is not a tier
    void client.responses.create({ model: 'hott', input: 'hi' });
  });
});
