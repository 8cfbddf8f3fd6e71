/** Backoff between attempts of one deployment; see `RetryOptions`. */
export interface BackoffOptions {
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly factor: number;
}

/**
 * The wait before retry number `retry` (0-based): exponential, with jitter spreading it over
 * [base, 2 × base) so that many clients rate-limited together do not retry in lockstep.
 * Computed here rather than inside p-retry so that `attempt:error` can report the exact wait.
 */
export function backoffDelay(retry: number, options: BackoffOptions, random = Math.random()): number {
  const base = options.minTimeoutMs * options.factor ** retry;
  return Math.round(Math.min(options.maxTimeoutMs, base * (1 + random)));
}
