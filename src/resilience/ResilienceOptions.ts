/** Retries of one deployment before moving on to the next. */
export interface RetryOptions {
  /** Retries per deployment after the first attempt. @default 2 */
  readonly retries?: number;
  /** First backoff wait; doubled (see `factor`) per retry, with jitter up to 2x. At most `maxTimeoutMs`. @default 200 */
  readonly minTimeoutMs?: number;
  /** Longest backoff wait; at least `minTimeoutMs`. @default 5000 */
  readonly maxTimeoutMs?: number;
  /** Growth of the backoff per retry. @default 2 */
  readonly factor?: number;
  /**
   * Longest `retry-after` we wait for. A provider asking for longer is left cooling down for the
   * time it asked (for every request) and the call moves on to the next deployment at once.
   * @default 10000
   */
  readonly maxRetryAfterMs?: number;
}

/** One circuit breaker per deployment (opossum). Only transient failures count toward opening it. */
export interface BreakerOptions {
  /** Failure percentage in the rolling window above which the breaker opens. @default 50 */
  readonly errorThresholdPercentage?: number;
  /** Calls in the rolling window before the breaker may open at all. @default 5 */
  readonly volumeThreshold?: number;
  /** How long an open breaker stays open before letting one probe through. @default 30000 */
  readonly resetTimeoutMs?: number;
  /** Length of the rolling window of statistics. @default 10000 */
  readonly rollingWindowMs?: number;
}

/** Time limits; `Infinity` turns one off. */
export interface TimeoutOptions {
  /** One non-streaming attempt, from sending to the whole response. @default 60000 */
  readonly requestMs?: number;
  /** A streaming attempt, from sending to its first chunk. @default 10000 */
  readonly firstTokenMs?: number;
  /** A streaming attempt, longest silence between two chunks. @default 30000 */
  readonly idleMs?: number;
  /** The whole call: every attempt, wait and fallback included. @default 120000 */
  readonly deadlineMs?: number;
}

/** Taking slow deployments out of rotation (error rates are the breakers' job; this is about latency). */
export interface DrainOptions {
  /** p99 latency of a deployment's recent successful attempts (its last 256) above which it is slow. @default 3000 */
  readonly p99Ms?: number;
  /** How long it must stay slow before it is drained. @default 120000 */
  readonly forMs?: number;
  /** How long it stays drained before traffic probes it again. @default 60000 */
  readonly cooldownMs?: number;
}
