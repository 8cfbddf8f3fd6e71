import { ConfigError } from '../errors/ConfigError.js';
import { count, section } from '../errors/checkOption.js';

/** Retry options with their defaults filled in; see `RetryOptions` on the client. */
export interface RetrySettings {
  readonly retries: number;
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly factor: number;
  readonly maxRetryAfterMs: number;
}

/** Checks the `retry` option and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveRetryOptions(value: unknown, defaults: RetrySettings): RetrySettings {
  const retry = section(value, 'retry', ['retries', 'minTimeoutMs', 'maxTimeoutMs', 'factor', 'maxRetryAfterMs']);
  const minTimeoutMs = count(retry, 'retry.minTimeoutMs', defaults.minTimeoutMs);
  const maxTimeoutMs = count(retry, 'retry.maxTimeoutMs', defaults.maxTimeoutMs);
  if (minTimeoutMs > maxTimeoutMs) {
    throw new ConfigError(
      'retry.minTimeoutMs',
      `must not be above retry.maxTimeoutMs (${maxTimeoutMs}${retry.maxTimeoutMs === undefined ? ', the default' : ''}), got ${minTimeoutMs}`,
      'Lower minTimeoutMs, or raise maxTimeoutMs to at least as much.',
    );
  }
  return {
    retries: count(retry, 'retry.retries', defaults.retries, { integer: true }),
    minTimeoutMs,
    maxTimeoutMs,
    factor: count(retry, 'retry.factor', defaults.factor, { min: 1 }),
    maxRetryAfterMs: count(retry, 'retry.maxRetryAfterMs', defaults.maxRetryAfterMs),
  };
}
