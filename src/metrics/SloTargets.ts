/** Service-level objectives, checked on the sliding window of `client.metrics()`. */
export interface SloTargets {
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly p999Ms?: number;
  /** Largest share of failed calls, from 0 to 1. */
  readonly errorRate?: number;
  /**
   * Median time to first token of the streams in the window (`metrics()`'s `ttftMs.p50`), in
   * milliseconds. Only streams have a first token: with no streams it is never judged, so never breached.
   */
  readonly ttftP50Ms?: number;
  /** 95th percentile of the streams' time to first token (`ttftMs.p95`), in milliseconds; see `ttftP50Ms`. */
  readonly ttftP95Ms?: number;
  /** 99th percentile of the streams' time to first token (`ttftMs.p99`), in milliseconds; see `ttftP50Ms`. */
  readonly ttftP99Ms?: number;
  /**
   * The lowest mean score the answers may have, over the window: feedback (`client.feedback()`) and
   * shadow scores together. Missed when the mean is below `minScore`.
   */
  readonly quality?: SloQualityTarget;
  /**
   * Calls in the window before anything is judged: two slow calls are not a breach. The
   * time-to-first-token objectives count streams only; `quality` has its own `minSamples`. @default 20
   */
  readonly minRequests?: number;
}

/**
 * A quality objective (`slo.quality`). Each feedback and each shadow score is one sample, counted
 * in the window from when it arrives; a feedback that replaces an earlier one takes the earlier
 * one's score out of the window if it is still in it. The mean of the samples in the window is the
 * `value` of `slo:breach` and `slo:recovered`.
 */
export interface SloQualityTarget {
  /** The lowest mean score (0 to 1) that meets the objective; a mean below it is a breach. */
  readonly minScore: number;
  /** Scores in the window before quality is judged: two thumbs down are not a breach. A whole number, at least 1. @default 20 */
  readonly minSamples?: number;
}

/** One scope's objectives, checked, with the defaults filled in. */
export type SloTargetSettings = Omit<SloTargets, 'quality' | 'minRequests'> & {
  readonly minRequests: number;
  readonly quality?: Required<SloQualityTarget>;
};

/** The defaults of the `slo` fields (`defaults.slo`). */
export interface SloDefaults {
  readonly minRequests: number;
  readonly quality: { readonly minSamples: number };
}
