import type OpenAI from 'openai';
import { Chat } from 'openai/resources/chat/chat';
import { Completions } from 'openai/resources/chat/completions/completions';
import type { RunnerOptions } from 'openai/lib/AbstractChatCompletionRunner';
import type { ExtractParsedContentFromParams } from 'openai/lib/parser';
import type {
  ChatCompletionParseParams,
  ChatCompletionRunner,
  ChatCompletionStream,
  ChatCompletionStreamingRunner,
  ChatCompletionStreamingToolRunnerParams,
  ChatCompletionStreamParams,
  ChatCompletionToolRunnerParams,
  ParsedChatCompletion,
} from 'openai/resources/chat/completions';
import type { APIPromise } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import type { Catalog, ModelRef } from '../catalog/types.js';
import { runChat } from './pipeline.js';
import { requestIdOf, responseOf } from './responses.js';
import type { Stages } from './Stages.js';
import { TieredPromise, type Reading } from './TieredPromise.js';
import { TieredStream } from './TieredStream.js';

/**
 * The `model` a routed call may name. A literal must be one the catalog serves (a tier, a model id,
 * `'auto'`), so `'hott'` is a type error; a `string` (params typed as `openai`'s own) is checked at
 * run time, as `unknownModels` says.
 */
export type CheckedModel<C extends Catalog, M extends string> = string extends M ? M : M extends ModelRef<C> ? M : ModelRef<C>;

/** `openai` params `P` with `model` checked against the catalog `C` (see {@link CheckedModel}). */
export type RoutedParams<P, C extends Catalog, M extends string> = Omit<P, 'model'> & {
  /** A tier, a catalog model id or `'auto'` (checked against the catalog when a literal), or a `string`. */
  readonly model: CheckedModel<C, M>;
};

/** The argument types of `runTools()`'s tools, as `openai` types them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as openai's own runTools() signature: any tools
export type AnyFunctionsArgs = any[];

/** A helper's params `P` with a literal `model` checked against the catalog `C`. */
export type CheckedHelperParams<
  C extends Catalog,
  P extends {
    /** The helper's own `model`. */
    model: string;
  },
> = P & {
  /** A tier, a catalog model id or `'auto'` (checked against the catalog when a literal), or a `string`. */
  readonly model: CheckedModel<C, P['model']>;
};

/**
 * `client.chat.completions`: `openai`'s own resource, whose `create()` is routed through the tiers.
 * Its helpers are `openai`'s and call `create()`, so each of their requests is routed too:
 * `parse()` (structured outputs, `message.parsed`), `stream()` (`ChatCompletionStream`),
 * `runTools()` (every round a routed call). Stored completions (`retrieve`, `list`, `update`,
 * `delete`, `messages`) go to `defaultProvider` unchanged.
 */
export class TieredChatCompletions<C extends Catalog = Catalog> extends Completions {
  readonly #stages: Stages;

  /** @internal Made by the tiered client. */
  constructor(client: OpenAI, stages: Stages) {
    super(client);
    this.#stages = stages;
  }

  /**
   * Same parameters and result as `openai.chat.completions.create()`, with `model` naming a tier,
   * a catalog model id or `'auto'`. Resolves to the upstream `ChatCompletion` of the deployment that
   * answered; rejects with the original `openai` error for a bad request (400, 422), with
   * `APIUserAbortError` when `options.signal` aborts, or with `AllModelsFailedError`.
   */
  override create<M extends string>(
    body: RoutedParams<ChatCompletionCreateParamsNonStreaming, C, M>,
    options?: TieredRequestOptions<C>,
  ): TieredPromise<ChatCompletion>;
  /**
   * With `stream: true`: resolves, once a deployment has sent its first token, to a `TieredStream`
   * of `ChatCompletionChunk`s. Failures before that fall back to the next deployment unseen.
   */
  override create<M extends string>(
    body: RoutedParams<ChatCompletionCreateParamsStreaming, C, M>,
    options?: TieredRequestOptions<C>,
  ): TieredPromise<TieredStream>;
  /** Either of the above, when `stream` is only known at run time. */
  override create<M extends string>(
    body: RoutedParams<ChatCompletionCreateParamsBase, C, M>,
    options?: TieredRequestOptions<C>,
  ): TieredPromise<ChatCompletion | TieredStream>;
  override create(body: ChatCompletionCreateParamsBase, options?: TieredRequestOptions): TieredPromise<ChatCompletion | TieredStream> {
    const stages = this.#stages;
    // Not async: a promise returned from an async function costs extra turns on every call.
    return body?.stream === true
      ? new TieredPromise(this._client, new TieredStream(stages, body, options).start(), streamReading)
      : new TieredPromise(this._client, runChat(stages, body, options), completionReading);
  }

  /** `openai`'s `parse()`, with a literal `model` checked against the catalog as for `create()`. */
  override parse<Params extends ChatCompletionParseParams, ParsedT = ExtractParsedContentFromParams<Params>>(
    body: CheckedHelperParams<C, Params>,
    options?: TieredRequestOptions<C>,
  ): APIPromise<ParsedChatCompletion<ParsedT>> {
    return super.parse(body, options as OpenAI.RequestOptions);
  }

  /** `openai`'s `stream()`, with a literal `model` checked against the catalog as for `create()`. */
  override stream<Params extends ChatCompletionStreamParams, ParsedT = ExtractParsedContentFromParams<Params>>(
    body: CheckedHelperParams<C, Params>,
    options?: TieredRequestOptions<C>,
  ): ChatCompletionStream<ParsedT> {
    return super.stream(body, options as OpenAI.RequestOptions);
  }

  /**
   * `openai`'s `runTools()`, with a literal `model` checked against the catalog as for `create()`.
   * Its options (`maxChatCompletions`, and the per-call options of `create()`) apply to every round.
   */
  override runTools<Params extends ChatCompletionToolRunnerParams<AnyFunctionsArgs>, ParsedT = ExtractParsedContentFromParams<Params>>(
    body: CheckedHelperParams<C, Params>,
    options?: RunnerOptions & TieredRequestOptions<C>,
  ): ChatCompletionRunner<ParsedT>;
  override runTools<
    Params extends ChatCompletionStreamingToolRunnerParams<AnyFunctionsArgs>,
    ParsedT = ExtractParsedContentFromParams<Params>,
  >(body: CheckedHelperParams<C, Params>, options?: RunnerOptions & TieredRequestOptions<C>): ChatCompletionStreamingRunner<ParsedT>;
  override runTools(
    body: ChatCompletionToolRunnerParams<AnyFunctionsArgs> | ChatCompletionStreamingToolRunnerParams<AnyFunctionsArgs>,
    options?: RunnerOptions & TieredRequestOptions,
  ): ChatCompletionRunner<unknown> | ChatCompletionStreamingRunner<unknown> {
    return super.runTools(body as ChatCompletionToolRunnerParams<AnyFunctionsArgs>, options as RunnerOptions);
  }
}

/** `client.chat`: `openai`'s own, with {@link TieredChatCompletions} as its `completions`. */
export class TieredChat<C extends Catalog = Catalog> extends Chat {
  /** `openai`'s chat completions resource, with `create()` (and the helpers over it) routed. */
  declare completions: TieredChatCompletions<C>;

  /** @internal Made by the tiered client. */
  constructor(client: OpenAI, stages: Stages) {
    super(client);
    this.completions = new TieredChatCompletions<C>(client, stages);
  }
}

// Shared by every call: what create() resolves to, and the response withResponse() gives with it.
const completionReading: Reading<TieredChatResult, ChatCompletion> = {
  data: (_client, result) => result.completion,
  response: (result) => responseOf(result.completion, result.completion, result.requestId),
};
const streamReading: Reading<TieredStream, TieredStream> = {
  data: (_client, stream) => stream,
  response: (stream) => responseOf(stream, undefined, requestIdOf(stream)),
};
