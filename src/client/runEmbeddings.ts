import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { Call } from '../call/Call.js';
import type { TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { isTokenCount, pricedAnswer } from '../telemetry/price.js';
import { embeddingsKind } from './kinds/embeddingsKind.js';
import { runRequest } from './pipeline.js';
import type { Stages } from './Stages.js';

/**
 * An embeddings call through the same stages as a chat call (client/pipeline.ts), with its own
 * route (one model id's deployments: see routing/embeddingRoutes.ts), send and price steps.
 */
export function runEmbeddings(
  stages: Stages,
  params: EmbeddingCreateParams,
  options: TieredRequestOptions | undefined,
): Promise<TieredChatResult> {
  return runRequest(stages, params, options, embeddingsKind, stages.sendEmbeddings, priceEmbeddings);
}

/** The price step of embeddings: `usage.prompt_tokens` at the model's input price (estimated when the provider reports none). */
function priceEmbeddings(_stages: Stages, call: Call, live: LiveDeployment, response: CreateEmbeddingResponse): CachedAnswer {
  const reported = response.usage?.prompt_tokens;
  const estimated = !isTokenCount(reported);
  const inputTokens = estimated ? embeddingsKind.promptTokens(call.params) : reported;
  return pricedAnswer(live.deployment, response, { inputTokens, outputTokens: 0, cachedInputTokens: 0 }, estimated);
}
