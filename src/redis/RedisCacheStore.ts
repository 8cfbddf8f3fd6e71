import type { Redis } from 'ioredis';
import type { CacheStore } from '../cache/CacheStore.js';
import { ConfigError } from '../errors/ConfigError.js';
import { connectRedis } from './connectRedis.js';
import { parseRedisUrl, scrub } from './redisUrl.js';

/** Options of {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** An ioredis instance (yours: not closed by close()) or a redis:// URL (ours: closed by close()). */
  readonly redis: Redis | string;
  /** Key prefix. @default 'tiered-llm:cache:' */
  readonly prefix?: string;
  /** Longest wait for one Redis command before giving up (the call then goes uncached). @default 250 */
  readonly timeoutMs?: number;
}

const defaultPrefix = 'tiered-llm:cache:';
const defaultTimeoutMs = 250;
// Above this, setTimeout fires at once (it overflows a 32-bit integer).
const maxTimeoutMs = 2 ** 31 - 1;

/**
 * A {@link CacheStore} in Redis, so that processes on many machines share one cache. Entries
 * expire in Redis itself (`SET ... PX`). Every call settles within `timeoutMs`: while Redis is
 * down, calls reject (quickly, or at the latest when their time is up) and the client carries
 * on uncached with a `cache:error` event; when Redis comes back the store reconnects by itself.
 */
export class RedisCacheStore implements CacheStore {
  readonly #redis: Redis;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #secrets: readonly string[];
  #lastError: Error | undefined;
  #connecting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;

  constructor(options: RedisCacheStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError('options', 'must be an object', "Give { redis: 'redis://localhost:6379' } or { redis: new Redis() }.");
    }
    const { redis, prefix = defaultPrefix, timeoutMs = defaultTimeoutMs } = options;
    if (typeof prefix !== 'string') throw new ConfigError('prefix', 'must be a string', `E.g. '${defaultPrefix}', or '' for none.`);
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > maxTimeoutMs) {
      throw new ConfigError('timeoutMs', 'must be a positive finite number of milliseconds', `E.g. ${defaultTimeoutMs}.`);
    }
    this.#prefix = prefix;
    this.#timeoutMs = timeoutMs;
    if (typeof redis === 'string') {
      const url = parseRedisUrl(redis);
      this.#secrets = url.secrets;
      this.#redis = connectRedis(url, timeoutMs, (error) => (this.#lastError = error));
      this.#redis.on('ready', () => (this.#lastError = undefined));
      this.#owned = true;
    } else if (isRedisLike(redis)) {
      this.#secrets = [];
      this.#redis = redis;
      this.#owned = false;
    } else {
      throw new ConfigError('redis', 'must be an ioredis instance or a redis:// URL', "E.g. 'redis://localhost:6379' or new Redis().");
    }
  }

  /** The value under `key`, or undefined when absent or expired; rejects when Redis cannot answer in time. */
  async get(key: string): Promise<string | undefined> {
    const value = await this.#run('GET', (redis) => redis.get(this.#prefix + key));
    return value ?? undefined;
  }

  /** Stores `value` with a TTL in Redis (none for `Infinity`); rejects when Redis cannot answer in time. */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) throw new RangeError(`Redis SET: ttlMs must be a positive number of milliseconds or Infinity, got ${ttlMs}`);
    const name = this.#prefix + key;
    await this.#run('SET', (redis) => (ttlMs === Infinity ? redis.set(name, value) : redis.set(name, value, 'PX', Math.ceil(ttlMs))));
  }

  /** Removes `key`; rejects when Redis cannot answer in time. */
  async delete(key: string): Promise<void> {
    await this.#run('DEL', (redis) => redis.del(this.#prefix + key));
  }

  /** Closes the connection made from a URL (waiting for pending replies, within `timeoutMs`); leaves a given instance open. */
  close(): Promise<void> {
    this.#closed = true;
    if (!this.#owned) return Promise.resolve();
    this.#closing ??= this.#quit();
    return this.#closing;
  }

  async #quit(): Promise<void> {
    if (this.#redis.status === 'ready') {
      try {
        await this.#run('QUIT', (redis) => redis.quit());
        return;
      } catch {
        // Redis went away or is slow: drop the connection instead.
      }
    }
    this.#redis.disconnect();
  }

  /** Sends one command, bounded by `timeoutMs`; the timer never outlives it nor keeps the process alive. */
  #run<T>(operation: string, send: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.#closed && operation !== 'QUIT') return Promise.reject(new Error(`Redis ${operation} failed: the store is closed`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis ${operation} timed out after ${this.#timeoutMs} ms`)), this.#timeoutMs);
      timer.unref();
      this.#whenConnected()
        .then(() => send(this.#redis))
        .then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(this.#failure(operation, error));
          },
        );
    });
  }

  /**
   * Without an offline queue, ioredis refuses every command until the connection is ready, the
   * very first one included: wait for a connection attempt in progress (or start one), not for
   * one still to come, so that calls fail fast while Redis is down. One set of listeners per
   * attempt, however many calls wait on it.
   */
  #whenConnected(): Promise<void> {
    const redis = this.#redis;
    if (redis.options?.enableOfflineQueue !== false || !['wait', 'connecting', 'connect'].includes(redis.status)) {
      return Promise.resolve();
    }
    this.#connecting ??= new Promise<void>((resolve) => {
      const settle = (): void => {
        for (const event of ['ready', 'close', 'end']) redis.off(event, settle);
        this.#connecting = undefined;
        resolve();
      };
      for (const event of ['ready', 'close', 'end']) redis.once(event, settle);
      if (redis.status === 'wait') redis.connect().catch(() => undefined); // its failure reaches 'close' and 'error'
    });
    return this.#connecting;
  }

  /** Says why in words a user can act on: ioredis' own message for a refused command is "Stream isn't writeable". */
  #failure(operation: string, error: unknown): Error {
    const status = this.#redis.status;
    let reason = error instanceof Error ? error.message : String(error);
    if (status !== 'ready') {
      reason = `not connected (${status})` + (this.#lastError === undefined ? '' : `, last error: ${this.#lastError.message}`);
    }
    return new Error(scrub(`Redis ${operation} failed: ${reason}`, this.#secrets), { cause: error });
  }
}

function isRedisLike(value: unknown): value is Redis {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['get'] === 'function' && typeof candidate['set'] === 'function' && typeof candidate['del'] === 'function';
}
