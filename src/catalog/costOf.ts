/** Tokens of one call, as reported by the provider (or estimated). */
export interface TokenUsage {
  /** Every prompt token, cached ones included (the API's `prompt_tokens`). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The part of `inputTokens` served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
}

/** The prices `costOf` needs: any `ModelEntry` has them. */
export interface ModelPrices {
  /** USD per million prompt tokens. */
  readonly inputCostPerMTok: number;
  /** USD per million completion tokens; absent for an embedding model, whose output is free. @default 0 */
  readonly outputCostPerMTok?: number | undefined;
  /** USD per million prompt tokens from the provider's prompt cache. @default inputCostPerMTok */
  readonly cachedInputCostPerMTok?: number | undefined;
}

/**
 * Costs are counted in whole pico-dollars (1e-12 USD) inside and turned into dollars at the edge, so
 * `13 * $0.2 + 7 * $0.8 per MTok` is `0.0000082`, not `0.000008200000000000001`, and sums stay exact.
 */
const picoPerUsd = 1e12;

/** Whole pico-dollars of `usd` (nearest). Add these, not dollars, to keep a sum free of float noise. */
export function toPicoUsd(usd: number): number {
  return Math.round(usd * picoPerUsd);
}

/** Dollars of a whole number of pico-dollars: the double nearest the exact amount. */
export function fromPicoUsd(pico: number): number {
  return pico / picoPerUsd;
}

/** `a + b` in dollars, rounded to the pico-dollar: no float noise from the addition. */
export function addUsd(a: number, b: number): number {
  return fromPicoUsd(toPicoUsd(a) + toPicoUsd(b));
}

/**
 * The USD cost of `usage` at a model's catalog prices; cached prompt tokens at their own price.
 * Rounded to the pico-dollar, so the same tokens always cost the same, noise-free amount.
 */
export function costOf(usage: TokenUsage, model: ModelPrices): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const cachedPrice = model.cachedInputCostPerMTok ?? model.inputCostPerMTok;
  const microUsd =
    (usage.inputTokens - cached) * model.inputCostPerMTok + cached * cachedPrice + usage.outputTokens * (model.outputCostPerMTok ?? 0);
  // USD per million tokens is micro-dollars per token: times 1e6, pico-dollars, rounded to whole ones.
  return fromPicoUsd(Math.round(microUsd * 1e6));
}
