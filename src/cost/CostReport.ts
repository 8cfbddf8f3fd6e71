/** Options of `client.costReport()`. */
export interface CostReportOptions {
  /**
   * Calls a month to project to (a number >= 0).
   * @default the observed rate: calls counted per millisecond since the client started, times 30 days
   */
  readonly monthlyCalls?: number;
}

/** The tokens `costReport()` counted: those of the answered chat calls since the client started. */
export interface CostReportUsage {
  /** Every prompt token, cached ones included. */
  readonly inputTokens: number;
  /** The part of `inputTokens` served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  /** Completion tokens. */
  readonly outputTokens: number;
}

/** The catalog prices a repricing applies, in USD per million tokens. */
export interface RepricingPrices {
  /** Prompt tokens. */
  readonly inputCostPerMTok: number;
  /** Prompt tokens from the provider's prompt cache (the input price when the entry gives none). */
  readonly cachedInputCostPerMTok: number;
  /** Completion tokens. */
  readonly outputCostPerMTok: number;
}

/** The counted usage priced on one chat model, with what it actually cost alongside. */
export interface RepricedUsage {
  /** The catalog model id whose prices are applied. */
  readonly model: string;
  /** The provider of the entry whose prices are applied: the model's first entry in the catalog. */
  readonly provider: string;
  /** That entry's tier. */
  readonly tier: string;
  /** The prices applied. */
  readonly prices: RepricingPrices;
  /**
   * The counted tokens at these prices, to the pico-dollar: exactly `costOf(report.usage, prices)`
   * (cached prompt tokens at the cached price: the provider's prompt cache assumed to work alike).
   */
  readonly costUsd: number;
  /** What the same calls' answers actually cost (`report.actual.answersUsd`), repeated for comparison. */
  readonly actualUsd: number;
  /** `costUsd - actualUsd`: what sending every call here would have added (negative: saved). */
  readonly differenceUsd: number;
  /** `costUsd` per counted call, times `report.monthlyCalls`. */
  readonly monthlyUsd: number;
}

/** What was actually spent since the client started. */
export interface ActualSpend {
  /** The answers of the counted calls (poor answers escalated from included). */
  readonly answersUsd: number;
  /** The classifier's routing calls, over every call (failed ones included). */
  readonly routingUsd: number;
  /** The semantic cache's embedding calls, over every call (semantic hits and failed calls included). */
  readonly embeddingUsd: number;
  /** `answersUsd + routingUsd + embeddingUsd`, to the pico-dollar. */
  readonly totalUsd: number;
  /** `totalUsd` per counted call, times `report.monthlyCalls`. */
  readonly monthlyUsd: number;
}

/**
 * `client.costReport()`: the usage counted since the client started (answered chat calls, not cache
 * hits), what it cost, and what it would have cost on every chat model of the catalog and on each
 * tier alone, with monthly projections. Embedding models are not chat models: never repriced here.
 */
export interface CostReport {
  /** When the client started counting, in epoch ms. */
  readonly since: number;
  /** Milliseconds counted over, from `since` to this report. */
  readonly elapsedMs: number;
  /** Answered chat calls counted: not cache hits, not failures. */
  readonly calls: number;
  /** Their tokens. */
  readonly usage: CostReportUsage;
  /** What was actually spent. */
  readonly actual: ActualSpend;
  /**
   * Where `monthlyCalls` comes from: `'monthlyCalls'`, the option as given; `'observedRate'`, the
   * calls counted per millisecond since the client started, times 30 days.
   */
  readonly projectionBasis: 'monthlyCalls' | 'observedRate';
  /** The calls a month every `monthlyUsd` assumes (0 before the first call, or before any time has passed). */
  readonly monthlyCalls: number;
  /** The counted usage on each chat model of the catalog, by model id, in catalog order. */
  readonly byModel: Readonly<Record<string, RepricedUsage>>;
  /** "Everything on tier X": the counted usage on each chat tier's first chat model, by tier name, cheapest first. */
  readonly byTier: Readonly<Record<string, RepricedUsage>>;
}
