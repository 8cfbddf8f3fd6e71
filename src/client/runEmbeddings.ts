import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import { costOf, type TokenUsage } from '../catalog/costOf.js';
import type { Deployment } from '../catalog/types.js';
import { embeddingsKind } from './kinds/embeddingsKind.js';
import { fail, prepare, settleHit, settleStored, type Held } from './pipeline.js';
import { openCall } from './openCall.js';
import type { Stages } from './Stages.js';

/**
 * An embeddings call through the same stages as a chat call (client/pipeline.ts), with its own
 * route (one model id's deployments: see routing/embeddingRoutes.ts), send and price steps.
 */
export async function runEmbeddings(
  stages: Stages,
  params: EmbeddingCreateParams,
  options: TieredRequestOptions | undefined,
): Promise<TieredChatResult> {
  const call = openCall(stages, params as unknown as TieredChatParams, options, embeddingsKind);
  let held: Held | undefined;
  try {
    const preparing = prepare(stages, call, true);
    const prepared = preparing instanceof Promise ? await preparing : preparing;
    if (prepared.hit !== undefined) return settleHit(stages, call, prepared.hit);
    held = prepared;
    const { live, value } = await stages.fallback.run(call, prepared.candidates, stages.sendEmbeddings);
    const result = settleStored(stages, call, prepared, priceEmbeddings(live.deployment, value, params));
    return result instanceof Promise ? await result : result;
  } catch (error) {
    fail(stages, call, held, error);
    throw error;
  } finally {
    call.scope.dispose();
  }
}

/** The price step of embeddings: `usage.prompt_tokens` at the model's input price (estimated when the provider reports none). */
function priceEmbeddings(deployment: Deployment, response: CreateEmbeddingResponse, params: EmbeddingCreateParams): CachedAnswer {
  const reported = response.usage?.prompt_tokens;
  const estimated = typeof reported !== 'number' || !Number.isFinite(reported) || reported < 0;
  const usage: TokenUsage = {
    inputTokens: estimated ? embeddingsKind.promptTokens(params) : reported,
    outputTokens: 0,
    cachedInputTokens: 0,
  };
  return {
    completion: response as never,
    model: deployment.model.id,
    provider: deployment.provider,
    tier: deployment.tier,
    usage,
    usageEstimated: estimated,
    costUsd: costOf(usage, deployment.model),
  };
}
