import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { DeploymentRate } from './DeploymentRate.js';

/** The longest pause a provider's reset header may ask for: a longer one is cut to this (a clock gone wrong, a typo). */
export const maxRateLimitPauseMs = 60 * 60 * 1000;

/** Headers as `fetch` and `openai`'s errors carry them. */
interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Reads a provider's `x-ratelimit-remaining-requests` / `-tokens` headers (OpenAI's, and those of
 * most OpenAI-compatible gateways) on any response, answer or error, JSON or stream: one at 0
 * pauses the deployment until the matching `x-ratelimit-reset-requests` / `-tokens` says (the later
 * of the two when both are at 0). A reset that is missing or unreadable pauses nothing: the next
 * request then learns from the provider's 429 and its `retry-after`. A response without these
 * headers costs two lookups.
 */
export function noteRateLimitHeaders(live: LiveDeployment, headers: HeaderSource | undefined | null): void {
  if (headers === undefined || headers === null || typeof headers.get !== 'function') return;
  const requests = headers.get('x-ratelimit-remaining-requests');
  const tokens = headers.get('x-ratelimit-remaining-tokens');
  if (requests === null && tokens === null) return;
  const now = Date.now();
  let pauseMs = 0;
  if (requests !== null && exhausted(requests)) pauseMs = resetMs(headers.get('x-ratelimit-reset-requests'), now);
  if (tokens !== null && exhausted(tokens)) pauseMs = Math.max(pauseMs, resetMs(headers.get('x-ratelimit-reset-tokens'), now));
  if (pauseMs > 0) (live.rate ??= new DeploymentRate(live.deployment)).pause(now + pauseMs);
}

/** The headers of a failed attempt's error (`openai`'s `APIError.headers`), if it has any. */
export function errorHeaders(error: unknown): HeaderSource | undefined {
  const headers = (error as { headers?: unknown } | null | undefined)?.headers;
  return typeof headers === 'object' && headers !== null ? (headers as HeaderSource) : undefined;
}

function exhausted(remaining: string): boolean {
  const value = Number(remaining.trim());
  return remaining.trim() !== '' && Number.isFinite(value) && value <= 0;
}

function resetMs(reset: string | null, now: number): number {
  if (reset === null) return 0;
  const ms = parseRateLimitReset(reset, now);
  return ms === undefined ? 0 : Math.min(ms, maxRateLimitPauseMs);
}

const durationPart = /(\d+(?:\.\d+)?)(ms|us|µs|μs|ns|h|m|s)/gy;
const unitMs: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 1e-3, µs: 1e-3, μs: 1e-3, ns: 1e-6 };

/**
 * Milliseconds until a rate limit resets, from a reset header: OpenAI's duration (`1s`, `6m0s`,
 * `20ms`, `1h2m3.5s`), or a plain number of seconds (`0.5`, `30`), or, for a number past 10^9, the
 * epoch second it resets at. Undefined for anything else (garbage, negative, not finite); not capped.
 */
export function parseRateLimitReset(text: string, now = Date.now()): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    if (!Number.isFinite(seconds)) return undefined;
    return Math.ceil(seconds >= 1e9 ? Math.max(0, seconds * 1000 - now) : seconds * 1000);
  }
  if (trimmed === '') return undefined;
  durationPart.lastIndex = 0;
  let ms = 0;
  let end = 0;
  for (let match = durationPart.exec(trimmed); match !== null; match = durationPart.exec(trimmed)) {
    ms += Number(match[1]) * unitMs[match[2]!]!;
    end = durationPart.lastIndex;
  }
  return end === trimmed.length && Number.isFinite(ms) ? Math.ceil(ms) : undefined;
}
