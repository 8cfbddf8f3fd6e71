import { Redis, type RedisOptions } from 'ioredis';
import type { RedisUrl } from './redisUrl.js';

/** Longest pause between two reconnection attempts while Redis is away. */
const maxReconnectDelayMs = 2_000;

/**
 * Creates the ioredis client for a URL, tuned for a cache that must fail fast rather than wait:
 * - `enableOfflineQueue: false`: while disconnected a command fails at once instead of queueing
 *   (ioredis' queue is unbounded and would hold every call until Redis returns);
 * - `maxRetriesPerRequest: 0`: a command in flight when the connection drops fails instead of being
 *   re-sent after a reconnection (a stale cache write is worth nothing);
 * - `retryStrategy`: keeps reconnecting, with a capped backoff, so the store heals by itself;
 * - `lazyConnect`: no socket until the first call, so a store that is never used costs nothing.
 * `onError` receives connection errors: with a listener attached ioredis stays quiet instead of
 * printing "[ioredis] Unhandled error event" on every failed reconnection.
 */
export function connectRedis(url: RedisUrl, timeoutMs: number, onError: (error: Error) => void): Redis {
  const redis = new Redis(url.href, {
    ...failFast(timeoutMs, Math.max(timeoutMs, 1_000)),
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 6), maxReconnectDelayMs),
  });
  redis.on('error', onError);
  return redis;
}

/**
 * A second connection to the Redis of `source` (a URL, or an instance whose options it copies), for
 * a blocking read that must not hold up the commands of the first. It never reconnects by itself
 * and has no socket timeout (its reader does both, on its own unref'd timers: ioredis' own are not),
 * and its socket does not keep the process alive. The caller closes it.
 */
export function connectBlockingRedis(source: RedisUrl | Redis, timeoutMs: number, onError: (error: Error) => void): Redis {
  const options: RedisOptions = { ...failFast(timeoutMs, undefined), retryStrategy: () => null };
  // Not instanceof: a given instance may come from another copy of ioredis.
  const redis = 'secrets' in source ? new Redis(source.href, options) : source.duplicate(options);
  redis.on('error', onError);
  // A reader in the background: the application's own work keeps the process alive, not this.
  redis.on('connect', () => (redis.stream as { unref?: () => void } | undefined)?.unref?.());
  return redis;
}

function failFast(timeoutMs: number, socketTimeoutMs: number | undefined): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A connection (TCP, TLS, AUTH, ready check) may take longer than one command; calls never
    // wait for it beyond their own timeoutMs anyway.
    connectTimeout: Math.max(timeoutMs, 1_000),
    // A connection that stays silent this long while a command waits is dead (a half-open TCP
    // connection would otherwise time every call out for many minutes): drop it and reconnect.
    socketTimeout: socketTimeoutMs,
    // ioredis' disconnect() arms this timer (2 s by default, not unref'd) even when the socket is
    // already gone, as it is while Redis is down: it would hold a closing process that long.
    disconnectTimeout: timeoutMs,
  };
}
