import { createHash, type Hash } from 'node:crypto';

/**
 * Request fields that do not change the answer, so they must not split cache entries: streaming
 * itself, and fields for the provider's own bookkeeping.
 */
const fieldsOutsideTheKey: ReadonlySet<string> = new Set([
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
 * JSON where property order does not matter and values read as they are sent (`toJSON`, `undefined`
 * fields left out). No store ever sees the prompt itself. Fed to the hash in pieces of about 16 KB:
 * neither one string of the whole request nor thousands of tiny updates.
 */
export function cacheKey(namespace: string, requested: string, params: Readonly<Record<string, unknown>>): string {
  const writer = new HashWriter();
  // Each part JSON-quoted: no namespace or model field can run into the next one.
  writer.write(`tiered-llm/1:${JSON.stringify(namespace)}:${JSON.stringify(requested)}:`);
  writer.object(params, fieldsOutsideTheKey);
  return writer.digest();
}

const chunkChars = 16 * 1024;
const none: ReadonlySet<string> = new Set();

class HashWriter {
  private readonly hash: Hash = createHash('sha256');
  private buffer = '';

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= chunkChars) {
      this.hash.update(this.buffer);
      this.buffer = '';
    }
  }

  value(value: unknown): void {
    const json = (value as { toJSON?: unknown } | null)?.toJSON;
    if (typeof json === 'function') value = (json as () => unknown).call(value);
    if (typeof value !== 'object' || value === null) this.write(JSON.stringify(value) ?? 'null');
    else if (Array.isArray(value)) this.array(value);
    else this.object(value as Record<string, unknown>, none);
  }

  array(items: readonly unknown[]): void {
    this.write('[');
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.write(',');
      const item = items[i];
      this.value(item === undefined || typeof item === 'function' ? null : item);
    }
    this.write(']');
  }

  object(record: Readonly<Record<string, unknown>>, skip: ReadonlySet<string>): void {
    this.write('{');
    let first = true;
    for (const name of Object.keys(record).sort()) {
      const field = record[name];
      if (field === undefined || typeof field === 'function' || skip.has(name)) continue;
      this.write(first ? `${JSON.stringify(name)}:` : `,${JSON.stringify(name)}:`);
      this.value(field);
      first = false;
    }
    this.write('}');
  }

  digest(): string {
    return this.hash.update(this.buffer).digest('base64url');
  }
}
