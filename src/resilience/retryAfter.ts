/**
 * Reads how long a provider asked us to wait, from `retry-after-ms` (milliseconds, OpenAI's own) or
 * `retry-after` (seconds, or an HTTP date). Returns undefined when absent or unparseable: a garbage
 * header must never turn into a wait of NaN or of a year.
 */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const value = parseNumber(ms);
    if (value !== undefined) return value;
  }
  const after = headers.get('retry-after');
  if (after === null) return undefined;
  const seconds = parseNumber(after);
  if (seconds !== undefined) return Math.round(seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
