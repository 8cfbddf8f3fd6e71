import type OpenAI from 'openai';
import {
  Responses,
  type Response,
  type ResponseCreateParams,
  type ResponseCreateParamsBase,
  type ResponseCreateParamsNonStreaming,
  type ResponseCreateParamsStreaming,
} from 'openai/resources/responses/responses';
import type { TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import type { Catalog } from '../catalog/types.js';
import type { CheckedModel } from './ChatResource.js';
import { requestIdOf, responseOf } from './responses.js';
import { runResponses } from './runResponses.js';
import type { Stages } from './Stages.js';
import { TieredPromise, type Reading } from './TieredPromise.js';
import { TieredResponseStream } from './TieredResponseStream.js';

/**
 * `openai`'s Responses params `P` with `model` checked against the catalog `C` (see `CheckedModel`).
 * Optional, as in `openai`'s types (a stored prompt may name its model), so that params typed as
 * `openai`'s compile; routing needs one, so a request without it is a `ConfigError` at run time.
 */
export type RoutedResponseParams<P, C extends Catalog, M extends string> = Omit<P, 'model'> & {
  /** A tier or a catalog model id with the capability `'responses'`; a literal is checked against the catalog. */
  readonly model?: CheckedModel<C, M>;
};

/**
 * `client.responses`: `openai`'s own resource, whose `create()` is routed over the catalog's models
 * with the capability `'responses'` (opt-in), with retries, breakers, fallback, the budget, the
 * cache and events (`operation: 'responses'`). Its helpers are `openai`'s and call `create()`, so
 * `responses.stream()` and `responses.parse()` are routed too. `retrieve`, `delete`, `cancel`,
 * `inputItems` and the rest go to `defaultProvider` unchanged.
 *
 * A stateful request (`previous_response_id`, or a `conversation`) goes to the deployment that
 * produced the response it continues (or last answered in the conversation), when this client
 * remembers it, and nowhere else; it is never cached.
 */
export class TieredResponses<C extends Catalog = Catalog> extends Responses {
  readonly #stages: Stages;

  /** @internal Made by the tiered client. */
  constructor(client: OpenAI, stages: Stages) {
    super(client);
    this.#stages = stages;
  }

  /**
   * Same parameters and result as `openai.responses.create()`, with `model` naming a tier or a
   * catalog model id with the capability `'responses'` (not `'auto'`). Resolves to the upstream
   * `Response` (with `output_text`); rejects with the original `openai` error for a bad request
   * (e.g. 400 `previous_response_not_found`), or with `AllModelsFailedError`.
   * @throws ConfigError (rejects) for a tier or model without a Responses deployment, before any request
   */
  override create<M extends string>(
    body: RoutedResponseParams<ResponseCreateParamsNonStreaming, C, M>,
    options?: TieredRequestOptions<C>,
  ): TieredPromise<Response>;
  /**
   * With `stream: true`: resolves, once a deployment has sent its first output event, to a
   * `TieredResponseStream` of `ResponseStreamEvent`s. Failures before that fall back unseen.
   */
  override create<M extends string>(
    body: RoutedResponseParams<ResponseCreateParamsStreaming, C, M>,
    options?: TieredRequestOptions<C>,
  ): TieredPromise<TieredResponseStream>;
  /** Either of the above, when `stream` is only known at run time. */
  override create<M extends string>(
    body: RoutedResponseParams<ResponseCreateParamsBase, C, M>,
    options?: TieredRequestOptions<C>,
  ): TieredPromise<Response | TieredResponseStream>;
  override create(body: ResponseCreateParams, options?: TieredRequestOptions): TieredPromise<Response | TieredResponseStream> {
    const stages = this.#stages;
    return body?.stream === true
      ? new TieredPromise(this._client, new TieredResponseStream(stages, body, options).start(), streamReading)
      : new TieredPromise(this._client, runResponses(stages, body, options), responseReading);
  }
}

// Shared by every call: what create() resolves to, and the response withResponse() gives with it.
const responseReading: Reading<TieredChatResult, Response> = {
  data: (_client, result) => result.completion as unknown as Response,
  response: (result) => responseOf(result.completion, result.completion, result.requestId),
};
const streamReading: Reading<TieredResponseStream, TieredResponseStream> = {
  data: (_client, stream) => stream,
  response: (stream) => responseOf(stream, undefined, requestIdOf(stream)),
};
