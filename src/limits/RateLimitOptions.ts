import type { RateLimitStore } from './RateLimitStore.js';

/**
 * How the client holds the catalog's `limits` (`rpm`, `tpm`, `maxConcurrent` per model). A
 * deployment at a limit, or paused by its provider's `x-ratelimit-remaining-*` headers at 0, is
 * skipped for the call (audit entry `rate_limited`) and the next candidate tried.
 */
export interface RateLimitOptions {
  /**
   * How long a call may wait for room on a deployment (a slot, the window sliding, a provider's
   * reset) before skipping it, within the call's deadline and abort signal. Only the last deployment
   * of a tier in rotation is waited for: while another of the same tier (no open breaker, no
   * cool-down) is still to be tried, a full one is skipped at once; so is one whose room is known
   * to come only after the wait (its `rpm`/`tpm` window, a provider's pause). @default 0
   */
  readonly waitMs?: number;
  /**
   * Where `rpm` and `tpm` are counted: `RedisRateLimitStore` from `tiered-llm/redis` shares the counts
   * of every process using it. Each operation is bounded by 250 ms; a store that fails or is too slow
   * never fails a call: it emits `rateLimit:error` and the call is counted in this process instead.
   * @default a MemoryRateLimitStore (counts of this process)
   */
  readonly store?: RateLimitStore;
}
