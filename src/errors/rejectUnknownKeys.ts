import { ConfigError } from './ConfigError.js';

/**
 * Refuses a key that is not in `known`, naming it with `prefix`: a misspelt optional field
 * (`cachedInputCostPerMtok`, `retries.maxRetry`) would otherwise silently change behaviour.
 */
export function rejectUnknownKeys(value: object, known: readonly string[], prefix: string, noun: 'field' | 'option'): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new ConfigError(`${prefix}${key}`, `is not a known ${noun}`, `Known ${noun}s here: ${known.join(', ')}.`);
  }
}
