import type OpenAI from 'openai';
import { Embeddings, type CreateEmbeddingResponse, type EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import type { Catalog } from '../catalog/types.js';
import type { RoutedParams } from './ChatResource.js';
import { responseOf } from './responses.js';
import { runEmbeddings } from './runEmbeddings.js';
import type { Stages } from './Stages.js';
import { TieredPromise, type Reading } from './TieredPromise.js';

/**
 * `client.embeddings`: `openai`'s own resource, whose `create()` is routed over the catalog's
 * embedding models (entries with `capabilities: ['embeddings']`), with retries, breakers, the
 * budget, the cache and events. `model` names a tier (its first embedding model) or an embedding
 * model id. A failing deployment falls back only to another deployment of the same model id: another
 * model's vectors live in another space, so answering with them would be silently wrong.
 */
export class TieredEmbeddings<C extends Catalog = Catalog> extends Embeddings {
  readonly #stages: Stages;

  /** @internal Made by the tiered client. */
  constructor(client: OpenAI, stages: Stages) {
    super(client);
    this.#stages = stages;
  }

  /**
   * Same parameters and result as `openai.embeddings.create()` (floats unless `encoding_format`
   * says otherwise), routed; costed from `usage.prompt_tokens` at the model's input price.
   * @throws ConfigError (rejects) for a model that is no embedding model of the catalog
   */
  override create<M extends string>(
    body: RoutedParams<EmbeddingCreateParams, C, M>,
    options?: TieredRequestOptions<C>,
  ): TieredPromise<CreateEmbeddingResponse> {
    return new TieredPromise(this._client, runEmbeddings(this.#stages, body as EmbeddingCreateParams, options), embeddingsReading);
  }
}

// Shared by every call: what create() resolves to, and the response withResponse() gives with it.
const embeddingsReading: Reading<TieredChatResult, CreateEmbeddingResponse> = {
  data: (_client, result) => result.completion as unknown as CreateEmbeddingResponse,
  response: (result) => responseOf(result.completion, result.completion, result.requestId),
};
