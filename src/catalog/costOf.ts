import type { ModelEntry } from './types.js';

/** Tokens of one call, as reported by the provider (or estimated). */
export interface TokenUsage {
  /** Every prompt token, cached ones included (the API's `prompt_tokens`). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The part of `inputTokens` served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
}

/** The prices `costOf` needs: any `ModelEntry` has them. */
export type ModelPrices = Pick<ModelEntry, 'inputCostPerMTok' | 'outputCostPerMTok' | 'cachedInputCostPerMTok'>;

/** The USD cost of `usage` at a model's catalog prices; cached prompt tokens at their own price. */
export function costOf(usage: TokenUsage, model: ModelPrices): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const cachedPrice = model.cachedInputCostPerMTok ?? model.inputCostPerMTok;
  return (
    ((usage.inputTokens - cached) * model.inputCostPerMTok + cached * cachedPrice + usage.outputTokens * model.outputCostPerMTok) / 1e6
  );
}
