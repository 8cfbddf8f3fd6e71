import type { Redis } from 'ioredis';
import type { CacheStore } from '../cache/CacheStore.js';
import { RedisConnection, resolveRedisStoreOptions } from './RedisConnection.js';

/** Options of {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** An ioredis instance (yours: not closed by close()) or a redis:// URL (ours: closed by close()). */
  readonly redis: Redis | string;
  /** Key prefix. @default 'tiered-llm:cache:' */
  readonly prefix?: string;
  /** Longest wait for one Redis command before giving up (the call then goes uncached). @default 250 */
  readonly timeoutMs?: number;
}

/**
 * A {@link CacheStore} in Redis, so that processes on many machines share one cache. Entries
 * expire in Redis itself (`SET ... PX`). Every call settles within `timeoutMs`: while Redis is
 * down, calls reject (quickly, or at the latest when their time is up) and the client carries
 * on uncached with a `cache:error` event; when Redis comes back the store reconnects by itself.
 */
export class RedisCacheStore implements CacheStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;

  constructor(options: RedisCacheStoreOptions) {
    const { redis, prefix, timeoutMs } = resolveRedisStoreOptions(options, 'tiered-llm:cache:');
    this.#prefix = prefix;
    this.#connection = new RedisConnection(redis, timeoutMs, ['get', 'set', 'del']);
  }

  /** The value under `key`, or undefined when absent or expired; rejects when Redis cannot answer in time. */
  async get(key: string): Promise<string | undefined> {
    const value = await this.#connection.run('GET', (redis) => redis.get(this.#prefix + key));
    return value ?? undefined;
  }

  /** Stores `value` with a TTL in Redis (none for `Infinity`); rejects when Redis cannot answer in time. */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) throw new RangeError(`Redis SET: ttlMs must be a positive number of milliseconds or Infinity, got ${ttlMs}`);
    const name = this.#prefix + key;
    await this.#connection.run('SET', (redis) =>
      ttlMs === Infinity ? redis.set(name, value) : redis.set(name, value, 'PX', Math.ceil(ttlMs)),
    );
  }

  /** Removes `key`; rejects when Redis cannot answer in time. */
  async delete(key: string): Promise<void> {
    await this.#connection.run('DEL', (redis) => redis.del(this.#prefix + key));
  }

  /** Closes the connection made from a URL (waiting for pending replies, within `timeoutMs`); leaves a given instance open. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}
