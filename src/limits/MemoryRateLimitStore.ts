import type { RateLimitGrant, RateLimitStore, RateLimitWindow } from './RateLimitStore.js';

/** Seconds in the sliding window, one bucket each. */
const windowSeconds = 60;

/**
 * One key's last 60 seconds: a ring of one-second buckets (bucket `s % 60` holds second `s`) and
 * their running sums, so that a check is a few additions whatever the traffic.
 */
class SlidingMinute {
  /** The epoch second each bucket holds (stale buckets are cleared as the clock passes them). */
  readonly seconds = new Float64Array(windowSeconds);
  readonly requests = new Float64Array(windowSeconds);
  readonly tokens = new Float64Array(windowSeconds);
  requestSum = 0;
  tokenSum = 0;
  /** The latest second the ring was brought up to. */
  latest = 0;

  /** Clears the buckets of the seconds that have left the window by `second`. */
  advance(second: number): void {
    if (second <= this.latest) return;
    // A jump of a minute or more clears every bucket once, not once per second gone by.
    const from = Math.max(this.latest + 1, second - windowSeconds + 1);
    for (let s = from; s <= second; s++) {
      const i = s % windowSeconds;
      this.requestSum -= this.requests[i]!;
      this.tokenSum -= this.tokens[i]!;
      this.requests[i] = 0;
      this.tokens[i] = 0;
      this.seconds[i] = s;
    }
    this.latest = second;
  }

  /** Milliseconds from `nowMs` until `excess` of what `of` counts has left the window (the oldest buckets first). */
  msUntilFreed(of: Float64Array, excess: number, second: number, nowMs: number): number {
    let freed = 0;
    for (let s = second - windowSeconds + 1; s <= second; s++) {
      freed += of[s % windowSeconds]!;
      // Second s leaves the window when second s + 60 begins.
      if (freed >= excess) return Math.max(1, (s + windowSeconds) * 1000 - nowMs);
    }
    return windowSeconds * 1000;
  }
}

/**
 * The in-process {@link RateLimitStore}, the client's default: per key, the requests and tokens of
 * the last 60 seconds in one-second buckets, read from `Date.now()` (so fake timers drive it). It
 * holds no timer and allocates nothing per call, only a ring of 60 buckets per key the first time
 * the key is seen. Counts of one process only: give the clients of a fleet a shared store
 * (`RedisRateLimitStore` from `tiered-llm/redis`) to hold a limit across machines.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #keys = new Map<string, SlidingMinute>();

  /** Counts one request and `tokens` tokens under `key` when they fit in `limits`; see {@link RateLimitStore.acquire}. */
  acquire(key: string, tokens: number, limits: RateLimitWindow): RateLimitGrant {
    const nowMs = Date.now();
    const second = Math.floor(nowMs / 1000);
    let minute = this.#keys.get(key);
    if (minute === undefined) {
      minute = new SlidingMinute();
      minute.latest = second - windowSeconds;
      this.#keys.set(key, minute);
    }
    minute.advance(second);
    const { rpm, tpm } = limits;
    let retryInMs = 0;
    if (rpm !== undefined && minute.requestSum + 1 > rpm) {
      retryInMs = minute.msUntilFreed(minute.requests, minute.requestSum + 1 - rpm, second, nowMs);
    }
    if (tpm !== undefined && minute.tokenSum + tokens > tpm) {
      // A request larger than the whole limit never fits: nobody should wait for it.
      const wait = tokens > tpm ? Infinity : minute.msUntilFreed(minute.tokens, minute.tokenSum + tokens - tpm, second, nowMs);
      retryInMs = Math.max(retryInMs, wait);
    }
    if (retryInMs > 0) return { ok: false, retryInMs };
    const i = second % windowSeconds;
    minute.requests[i]! += 1;
    minute.tokens[i]! += tokens;
    minute.requestSum += 1;
    minute.tokenSum += tokens;
    return { ok: true, second };
  }

  /** Corrects the tokens a grant counted; see {@link RateLimitStore.settle}. */
  settle(key: string, second: number, deltaTokens: number): void {
    const minute = this.#keys.get(key);
    if (minute === undefined || !Number.isFinite(deltaTokens)) return;
    minute.advance(Math.floor(Date.now() / 1000));
    const i = second % windowSeconds;
    // The grant's second has left the window (its bucket holds a later second): nothing to correct.
    if (minute.seconds[i] !== second) return;
    // Never below zero: a settle cannot take back more than its bucket holds.
    const corrected = Math.max(0, minute.tokens[i]! + deltaTokens);
    minute.tokenSum += corrected - minute.tokens[i]!;
    minute.tokens[i] = corrected;
  }
}
