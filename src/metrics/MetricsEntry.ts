import type { Percentiles } from './WindowedHistogram.js';

/** What `client.metrics()` reports for one scope: the client, a tier, a model or a deployment. */
export interface MetricsEntry {
  /** Calls since the client started (cache hits included). */
  readonly requests: number;
  /** Calls that failed. */
  readonly errors: number;
  readonly errorRate: number;
  /** Call latency over the sliding window (`metrics.windowMs`). */
  readonly latencyMs: Percentiles;
  /** Time to first token of streams over the sliding window. */
  readonly ttftMs: Percentiles;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** What the calls cost at catalog prices (cache hits: nothing). */
  readonly costUsd: number;
  /** What cache hits did not cost: the sum of the `savedUsd` of `request:end` events. */
  readonly cacheSavedUsd: number;
  /**
   * What the same tokens would have cost on the baseline model (`metrics.baselineModel`), minus what
   * they cost (cache hits: all of it). Called `savedUsd` in 0.1.0.
   */
  readonly savedVsBaselineUsd: number;
  readonly cacheHits: number;
  readonly cacheHitRate: number;
  /** Moves from one deployment to another within calls. */
  readonly fallbacks: number;
  /** Attempts repeated on the same deployment. */
  readonly retries: number;
  /** Times a breaker opened. */
  readonly breakerOpens: number;
}

/** `client.metrics()`: every scope's `MetricsEntry`. Keys: tier names, model ids, `provider/model`. */
export interface TieredMetrics {
  readonly total: MetricsEntry;
  readonly byTier: Readonly<Record<string, MetricsEntry>>;
  readonly byModel: Readonly<Record<string, MetricsEntry>>;
  readonly byDeployment: Readonly<Record<string, MetricsEntry>>;
  /** The sliding window of the percentiles. */
  readonly windowMs: number;
  /** The model savings are measured against. */
  readonly baselineModel: string;
}
