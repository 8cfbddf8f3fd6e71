import type { Operation } from '../call/Operation.js';
import type { Percentiles } from './WindowedHistogram.js';

/** What `client.metrics()` reports for one scope: the client, a tier, a model, a deployment or an operation. */
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
   * they cost (cache hits: all of it). Chat calls only: an embeddings call saves only what the cache
   * saved it. Called `savedUsd` in 0.1.0.
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
  /** How good the answers were: feedback, quality escalations and shadow scores, since the client started. */
  readonly quality: QualityMetrics;
  /**
   * Output tokens per second of answered calls over the sliding window (cache hits excluded): for a
   * stream, over the time from its first token to its end; for a non-streaming call, over its
   * answering attempt (the wait for the whole response; retries and other deployments excluded).
   * `{ p50: null, p95: null }` without a sample.
   */
  readonly outputTokensPerSecond: {
    /** The median call's output tokens per second. */
    readonly p50: number | null;
    /** The 95th percentile: only 5% of calls generated faster. */
    readonly p95: number | null;
  };
}

/** The quality part of a `MetricsEntry`. Feedback and shadow scores are from 0 (poor) to 1 (good). */
export interface QualityMetrics {
  /** Requests of this scope given feedback (`client.feedback()`); a replaced feedback counts once. */
  readonly feedbackCount: number;
  /** Mean score of that feedback (thumbs up counts 1, down 0); null without feedback. */
  readonly meanScore: number | null;
  /** Of the feedback given as thumbs, the share up; null without a thumb. */
  readonly thumbsUpRate: number | null;
  /**
   * Answers of this scope judged poor (empty, content-filtered, not the JSON asked for) and left for a
   * pricier tier, with `qualityEscalation`. Counted where the poor answer came from, not where the
   * call ended (unlike `fallbacks`): the scope whose answers were not good enough.
   */
  readonly escalations: number;
  /**
   * The share of this scope's answers that were escalated: `escalations / (escalations + requests)`
   * (a call escalated away from a scope is not among its `requests`); 0 without calls.
   */
  readonly escalationRate: number;
  /** Answers of this scope scored by shadow sampling (a pricier model asked the same request). */
  readonly shadowCount: number;
  /** Mean of those shadow scores; null without one. */
  readonly shadowScore: number | null;
}

/**
 * `client.metrics()`: every scope's `MetricsEntry`. Keys: tier names, model ids, `provider/model`,
 * operations. Only scopes that counted something are there.
 */
export interface TieredMetrics {
  readonly total: MetricsEntry;
  readonly byTier: Readonly<Record<string, MetricsEntry>>;
  readonly byModel: Readonly<Record<string, MetricsEntry>>;
  readonly byDeployment: Readonly<Record<string, MetricsEntry>>;
  /**
   * By kind of request (`'chat'`, `'embeddings'`, `'responses'`): every call counts under its
   * operation, one that reached no deployment included, so the `requests` of all operations add up
   * to the total's. A call's classifier request is priced under `'chat'` and its semantic-cache
   * embedding under `'embeddings'` (cost and tokens, not requests), as under their models.
   * `breakerOpens` stays 0 here: a breaker belongs to a deployment, not to a kind of request.
   */
  readonly byOperation: Readonly<Partial<Record<Operation, MetricsEntry>>>;
  /** The sliding window of the percentiles. */
  readonly windowMs: number;
  /** The model savings are measured against. */
  readonly baselineModel: string;
}
