import { createHash, type Hash } from 'node:crypto';

/**
 * Request fields that do not change the answer, so they must not split cache entries: streaming
 * itself, and fields for the provider's own bookkeeping.
 */
export const fieldsOutsideTheKey: ReadonlySet<string> = new Set([
  'model',
  'stream',
  'stream_options',
  'user',
  'metadata',
  'store',
  'service_tier',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
]);

/**
 * The cache key of a request: a SHA-256 (base64url) of its namespace, the model field as given
 * (a tier, a model id or 'auto') and every other field that can change the answer, in a canonical
 * form where property order does not matter. No store ever sees the prompt itself.
 * Fed to the hash piece by piece: a 100 KB prompt is never copied into one big string.
 */
export function cacheKey(namespace: string, requested: string, params: Readonly<Record<string, unknown>>): string {
  const hash = createHash('sha256');
  hash.update('tiered-llm/1\0').update(namespace).update('\0').update(requested).update('\0{');
  let first = true;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined || fieldsOutsideTheKey.has(name)) continue;
    hash.update(first ? JSON.stringify(name) : `,${JSON.stringify(name)}`).update(':');
    feed(hash, value);
    first = false;
  }
  return hash.update('}').digest('base64url');
}

function feed(hash: Hash, value: unknown): void {
  if (typeof value !== 'object' || value === null) {
    hash.update(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    hash.update('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) hash.update(',');
      feed(hash, value[i] === undefined ? null : value[i]);
    }
    hash.update(']');
    return;
  }
  hash.update('{');
  let first = true;
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record).sort()) {
    const field = record[name];
    if (field === undefined) continue;
    hash.update(first ? JSON.stringify(name) : `,${JSON.stringify(name)}`).update(':');
    feed(hash, field);
    first = false;
  }
  hash.update('}');
}
