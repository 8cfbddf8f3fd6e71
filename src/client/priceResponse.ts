import type { Response } from 'openai/resources/responses/responses';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { TokenUsage } from '../catalog/costOf.js';
import { isTokenCount, pricedAnswer } from '../telemetry/price.js';
import { estimateTokens } from '../catalog/estimateTokens.js';
import type { Deployment } from '../catalog/types.js';
import { generatedText, responsesKind } from './kinds/responsesKind.js';

/**
 * The price step of the Responses API: `usage.input_tokens` (its `input_tokens_details.cached_tokens`
 * at the cached price) and `output_tokens` at the model's prices; estimated, and said so, when the
 * provider reports no usable counts. For a stream, `response` is that of its last event.
 */
export function priceResponse(deployment: Deployment, response: Response, params: object): CachedAnswer {
  const reported = response.usage;
  const estimated =
    reported === undefined || reported === null || !isTokenCount(reported.input_tokens) || !isTokenCount(reported.output_tokens);
  let usage: TokenUsage;
  if (estimated) {
    usage = {
      inputTokens: responsesKind.promptTokens(params),
      outputTokens: estimateTokens(generatedText(response)),
      cachedInputTokens: 0,
    };
  } else {
    const cached = reported.input_tokens_details?.cached_tokens;
    usage = {
      inputTokens: reported.input_tokens,
      outputTokens: reported.output_tokens,
      cachedInputTokens: isTokenCount(cached) ? Math.min(cached, reported.input_tokens) : 0,
    };
  }
  return pricedAnswer(deployment, response, usage, estimated);
}
