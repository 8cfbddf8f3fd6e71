import { count, section } from '../errors/checkOption.js';

/** Circuit breaker settings, one breaker per deployment; see `BreakerOptions` on the client. */
export interface BreakerSettings {
  readonly errorThresholdPercentage: number;
  readonly volumeThreshold: number;
  readonly resetTimeoutMs: number;
  readonly rollingWindowMs: number;
}

/** Checks the `breaker` option and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveBreakerOptions(value: unknown, defaults: BreakerSettings): BreakerSettings {
  const breaker = section(value, 'breaker', ['errorThresholdPercentage', 'volumeThreshold', 'resetTimeoutMs', 'rollingWindowMs']);
  return {
    errorThresholdPercentage: count(breaker, 'breaker.errorThresholdPercentage', defaults.errorThresholdPercentage, { max: 100 }),
    volumeThreshold: count(breaker, 'breaker.volumeThreshold', defaults.volumeThreshold, { integer: true }),
    resetTimeoutMs: count(breaker, 'breaker.resetTimeoutMs', defaults.resetTimeoutMs, { min: 1 }),
    // opossum splits the window into 10 buckets: below 10 ms a bucket would be under a millisecond.
    rollingWindowMs: count(breaker, 'breaker.rollingWindowMs', defaults.rollingWindowMs, { min: 10 }),
  };
}
