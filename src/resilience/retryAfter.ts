/** The longest wait a provider may ask for; beyond it the header is taken for garbage. */
export const maxHonouredRetryAfterMs = 24 * 60 * 60 * 1000;

/**
 * Reads how long a provider asked us to wait, from `retry-after-ms` (milliseconds, OpenAI's own) or
 * `retry-after` (seconds, or an HTTP date). Returns undefined when absent, unparseable or longer than
 * a day: a garbage header must never turn into a wait of NaN or a cool-down of a year.
 */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get('retry-after-ms');
  const fromMs = ms === null ? undefined : sane(parseNumber(ms));
  if (fromMs !== undefined) return fromMs;
  const after = headers.get('retry-after');
  if (after === null) return undefined;
  const seconds = parseNumber(after);
  if (seconds !== undefined) return sane(Math.round(seconds * 1000));
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : sane(Math.max(0, date - now));
}

function sane(ms: number | undefined): number | undefined {
  return ms !== undefined && ms <= maxHonouredRetryAfterMs ? ms : undefined;
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
