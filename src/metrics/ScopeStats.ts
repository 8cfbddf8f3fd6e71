import { fromPicoUsd } from '../catalog/costOf.js';
import type { MetricsEntry } from './MetricsEntry.js';
import type { SloWindow } from './sloObjectives.js';
import { WindowedCounts } from './WindowedCounts.js';
import { WindowedScores } from './WindowedScores.js';
import { noPercentiles, WindowedHistogram, type Percentiles } from './WindowedHistogram.js';

const noRate = Object.freeze({ p50: null, p95: null });

/** One scope's running counts and latency windows. Money in whole pico-dollars, so sums are exact. */
export class ScopeStats {
  requests = 0;
  errors = 0;
  inputTokens = 0;
  outputTokens = 0;
  costPico = 0;
  cacheSavedPico = 0;
  savedVsBaselinePico = 0;
  cacheHits = 0;
  fallbacks = 0;
  retries = 0;
  breakerOpens = 0;
  /** Requests with feedback, and the sum of their scores (a replaced feedback taken out). */
  feedbackCount = 0;
  feedbackScoreSum = 0;
  /** Feedback given as thumbs, and how many up. */
  thumbs = 0;
  thumbsUp = 0;
  /** Poor answers of this scope that quality escalation sent up a tier. */
  escalations = 0;
  shadowCount = 0;
  shadowScoreSum = 0;
  readonly latency: WindowedHistogram;
  readonly ttft: WindowedHistogram;
  /** Output tokens per second of answered calls (recorded as if milliseconds: the histogram is unitless). */
  readonly outputRate: WindowedHistogram;
  /** Calls and errors within the window, for error-rate objectives. */
  readonly recent: WindowedCounts;
  /** Feedback and shadow scores within the window, for quality objectives. */
  readonly scores: WindowedScores;

  constructor(windowMs: number) {
    this.latency = new WindowedHistogram(windowMs);
    this.ttft = new WindowedHistogram(windowMs);
    this.outputRate = new WindowedHistogram(windowMs);
    this.recent = new WindowedCounts(windowMs);
    this.scores = new WindowedScores(windowMs);
  }

  /** What an objective is judged on, over the window ending `now`; each histogram merged once, if asked. */
  window(now: number): SloWindow {
    const { latency, ttft, scores } = this;
    let latencyNow: Percentiles | undefined;
    let ttftNow: ReturnType<SloWindow['ttft']> | undefined;
    return {
      ...this.recent.totals(now),
      latency: () => (latencyNow ??= latency.percentiles(now)),
      ttft: () => (ttftNow ??= { percentiles: ttft.percentiles(now), samples: ttft.count(now) }),
      scores: () => scores.totals(now),
    };
  }

  entry(now: number): MetricsEntry {
    const rate = this.outputRate.percentiles(now);
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests === 0 ? 0 : this.errors / this.requests,
      latencyMs: this.latency.percentiles(now),
      ttftMs: this.ttft.percentiles(now),
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: fromPicoUsd(this.costPico),
      cacheSavedUsd: fromPicoUsd(this.cacheSavedPico),
      savedVsBaselineUsd: fromPicoUsd(this.savedVsBaselinePico),
      cacheHits: this.cacheHits,
      cacheHitRate: this.requests === 0 ? 0 : this.cacheHits / this.requests,
      fallbacks: this.fallbacks,
      retries: this.retries,
      breakerOpens: this.breakerOpens,
      quality: {
        feedbackCount: this.feedbackCount,
        meanScore: this.feedbackCount === 0 ? null : this.feedbackScoreSum / this.feedbackCount,
        thumbsUpRate: this.thumbs === 0 ? null : this.thumbsUp / this.thumbs,
        escalations: this.escalations,
        escalationRate: this.escalations === 0 ? 0 : this.escalations / (this.escalations + this.requests),
        shadowCount: this.shadowCount,
        shadowScore: this.shadowCount === 0 ? null : this.shadowScoreSum / this.shadowCount,
      },
      outputTokensPerSecond: rate === noPercentiles ? noRate : { p50: rate.p50, p95: rate.p95 },
    };
  }
}
