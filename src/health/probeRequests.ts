import type OpenAI from 'openai';
import { costOf } from '../catalog/costOf.js';
import { isEmbeddingModel } from '../catalog/chatModels.js';
import type { Deployment } from '../catalog/types.js';
import { checkCompletion } from '../resilience/answerShape.js';
import { InvalidResponseError } from '../resilience/InvalidResponseError.js';
import { isTokenCount, priceSideCall } from '../telemetry/price.js';

/** What a probe got back when the provider answered 2xx: its status, and what it cost (model probes). */
export interface ProbeAnswer {
  readonly status: number;
  readonly costUsd?: number;
}

/** Sends one probe under `signal`; rejects as the `openai` client does (an `APIError` for a non-2xx answer). */
export type ProbeSend = (signal: AbortSignal) => Promise<ProbeAnswer>;

/** The cheapest question a chat model answers: one word in, one token out (counted under its limits: ProbeRoom.ts). */
export const chatMessages = [{ role: 'user' as const, content: 'ping' }];
/** What an embedding model's probe embeds. */
export const embeddingInput = 'ping';
/** openai's own retries stay off: a probe is one request, its failure the news. */
const once = { maxRetries: 0 } as const;

/**
 * `GET /models` of a provider. Its body is read (not parsed: a gateway may answer anything there),
 * so the connection goes back to the keep-alive pool.
 */
export function modelsProbe(client: OpenAI): ProbeSend {
  return async (signal) => {
    const response = await client.models.list({ ...once, signal }).asResponse();
    await response.arrayBuffer();
    return { status: response.status };
  };
}

/**
 * A request to one deployment's own model, priced at its catalog prices: a one-token chat
 * completion, or for an embedding model the embedding of one word. A 200 that is not such an answer
 * throws `InvalidResponseError` (or the error its body names): that deployment is broken.
 */
export function modelProbe(client: OpenAI, deployment: Deployment): ProbeSend {
  const { model } = deployment;
  if (isEmbeddingModel(model)) {
    return async (signal) => {
      const { data, response } = await client.embeddings
        .create({ model: model.id, input: embeddingInput }, { ...once, signal })
        .withResponse();
      if (typeof data !== 'object' || data === null || !Array.isArray(data.data))
        throw new InvalidResponseError('The provider answered 200 without a list of embeddings.');
      const reported = data.usage?.prompt_tokens;
      const inputTokens = isTokenCount(reported) ? reported : 1;
      return { status: response.status, costUsd: costOf({ inputTokens, outputTokens: 0, cachedInputTokens: 0 }, model) };
    };
  }
  return async (signal) => {
    const { data, response } = await client.chat.completions
      .create({ model: model.id, messages: chatMessages, max_completion_tokens: 1 }, { ...once, signal })
      .withResponse();
    const completion = checkCompletion(data, response.headers);
    return { status: response.status, costUsd: priceSideCall(deployment, completion, chatMessages).costUsd };
  };
}
