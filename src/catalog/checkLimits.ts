import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { showValue } from '../errors/showValue.js';
import type { ModelLimits } from './types.js';

const limitKeys = ['rpm', 'tpm', 'maxConcurrent'] as const;
const hints: Readonly<Record<(typeof limitKeys)[number], string>> = {
  rpm: "Copy the deployment's requests-per-minute quota, e.g. rpm: 500.",
  tpm: "Copy the deployment's tokens-per-minute quota, e.g. tpm: 200_000.",
  maxConcurrent: 'Requests in flight at once in this process, e.g. maxConcurrent: 8.',
};

/**
 * Checks a catalog entry's `limits` (`field` is `models[3].limits`): an object of positive whole
 * numbers, each optional. @returns it frozen, or undefined when not given.
 * @throws ConfigError naming the field, e.g. `models[3].limits.rpm`
 */
export function checkLimits(value: unknown, field: string): ModelLimits | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      field,
      `must be an object, got ${showValue(value)}`,
      'E.g. limits: { rpm: 500, tpm: 200_000, maxConcurrent: 8 }.',
    );
  }
  rejectUnknownKeys(value, limitKeys, `${field}.`, 'field');
  const limits = value as Record<string, unknown>;
  for (const key of limitKeys) {
    const limit = limits[key];
    if (limit !== undefined && (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit <= 0)) {
      throw new ConfigError(`${field}.${key}`, `must be a positive whole number, got ${showValue(limit)}`, hints[key]);
    }
  }
  return Object.freeze({ ...limits }) as ModelLimits;
}
