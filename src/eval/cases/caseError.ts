import { ConfigError } from 'tiered-llm';

/** A value as an error message shows it after "got": strings quoted and cut, other values by kind. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A `ConfigError` for one field of one case: `field` reads `cases.jsonl line 3: check.regex`. */
export function caseError(where: string, field: string, problem: string, hint: string): ConfigError {
  return new ConfigError(field === '' ? where : `${where}: ${field}`, problem, hint);
}
