import { ConfigError } from '../errors/ConfigError.js';
import { count } from '../errors/checkOption.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { showValue } from '../errors/showValue.js';

/** A provider's `healthCheck`, defaults filled in; see `HealthCheckOptions`. */
export interface HealthCheckSettings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly kind: 'models' | 'chat';
}

/** Below this, probes would be traffic of their own rather than a check. */
const minIntervalMs = 1_000;
const defaultTimeoutMs = 5_000;

/**
 * Checks a provider's `healthCheck` (off when not given) and fills in its defaults; `field` names it,
 * e.g. `providers.eu.healthCheck`. @throws ConfigError naming the field
 */
export function resolveHealthCheck(value: unknown, field: string): HealthCheckSettings | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(field, 'must be an object', 'E.g. healthCheck: { intervalMs: 15_000 } probes every 15 s.');
  rejectUnknownKeys(value, ['intervalMs', 'timeoutMs', 'kind'], `${field}.`, 'field');
  const check = value as Record<string, unknown>;
  const interval = check.intervalMs;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < minIntervalMs) {
    throw new ConfigError(
      `${field}.intervalMs`,
      interval === undefined ? 'is required' : `must be a number of ms, at least ${minIntervalMs}, got ${showValue(interval)}`,
      'E.g. intervalMs: 15_000 probes every 15 s; leave healthCheck out for no probes.',
    );
  }
  const { kind = 'models' } = check;
  if (kind !== 'models' && kind !== 'chat') {
    throw new ConfigError(
      `${field}.kind`,
      `must be 'models' or 'chat', got ${showValue(kind)}`,
      "'models' asks GET /models (free); 'chat' sends each model a one-token request (priced).",
    );
  }
  const timeoutMs = count(check, `${field}.timeoutMs`, Math.min(defaultTimeoutMs, interval), { min: 1 });
  return { intervalMs: interval, timeoutMs, kind };
}
