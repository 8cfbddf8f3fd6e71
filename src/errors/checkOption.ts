import { ConfigError } from './ConfigError.js';
import { rejectUnknownKeys } from './rejectUnknownKeys.js';
import { showValue } from './showValue.js';

/** Limits of a number option; `infinite` also admits `Infinity` (a time limit turned off). */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly infinite?: boolean;
}

/** An option object (`retry`, `cache`...) with only known keys, or `{}` when it is not given. */
export function section(value: unknown, name: string, keys: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(name, 'must be an object', `See the ${name} options in the README.`);
  rejectUnknownKeys(value, keys, `${name}.`, 'option');
  return value as Record<string, unknown>;
}

/** A non-negative number option (milliseconds, a count, a percentage), or its default. */
export function count(from: Record<string, unknown>, field: string, fallback: number, bounds: Bounds = {}): number {
  const value = from[field.slice(field.lastIndexOf('.') + 1)];
  if (value === undefined) return fallback;
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false, infinite = false } = bounds;
  const ok =
    typeof value === 'number' &&
    ((infinite && value === Number.POSITIVE_INFINITY) ||
      (Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))));
  if (!ok) {
    const kind = integer ? 'a whole number' : 'a number';
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(
      field,
      `must be ${kind}, ${range}${infinite ? ' (or Infinity)' : ''}, got ${showValue(value)}`,
      `Omit it for the default (${fallback}).`,
    );
  }
  return value;
}

/** A boolean option, or its default. */
export function flag(value: unknown, field: string, fallback: boolean, hint = 'true or false.'): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(field, 'must be a boolean', hint);
  return value;
}
