import type { Redis } from 'ioredis';
import type { CacheStore } from '../cache/CacheStore.js';
import type { SharedSemanticIndex } from '../cache/SharedSemanticIndex.js';
import { ConfigError } from '../errors/ConfigError.js';
import { RedisConnection, resolveRedisStoreOptions } from './RedisConnection.js';
import { RedisSemanticIndex } from './RedisSemanticIndex.js';

/** Options of {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** An ioredis instance (yours: not closed by close()) or a redis:// URL (ours: closed by close()). */
  readonly redis: Redis | string;
  /** Key prefix. @default 'tiered-llm:cache:' */
  readonly prefix?: string;
  /** Longest wait for one Redis command before giving up (the call then goes uncached). @default 250 */
  readonly timeoutMs?: number;
  /**
   * With `cache.semantic` on, share the semantic index between the clients on this Redis (a stream
   * under `prefix + 'semantic'`, followed on one more connection per client), so that a request
   * answered in one process is a semantic hit in the others. `false`: each client's index is its own.
   * @default true
   */
  readonly shareSemanticIndex?: boolean;
}

/**
 * A {@link CacheStore} in Redis, so that processes on many machines share one cache. Entries
 * expire in Redis itself (`SET ... PX`). Every call settles within `timeoutMs`: while Redis is
 * down, calls reject (quickly, or at the latest when their time is up) and the client carries
 * on uncached with a `cache:error` event; when Redis comes back the store reconnects by itself.
 *
 * With `cache.semantic` on, the clients on one Redis also share their semantic index
 * (`semanticIndex`, see `shareSemanticIndex`).
 */
export class RedisCacheStore implements CacheStore {
  /**
   * The semantic index this store shares (undefined with `shareSemanticIndex: false`): clients with
   * `cache.semantic` follow it by themselves. See the fleets guide for how (a Redis stream).
   */
  readonly semanticIndex: SharedSemanticIndex | undefined;
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  readonly #shared: RedisSemanticIndex | undefined;

  constructor(options: RedisCacheStoreOptions) {
    const { redis, prefix, timeoutMs } = resolveRedisStoreOptions(options, 'tiered-llm:cache:');
    const share = options.shareSemanticIndex ?? true;
    if (typeof share !== 'boolean')
      throw new ConfigError('shareSemanticIndex', 'must be true or false', 'Leave it out to share (the default).');
    this.#prefix = prefix;
    this.#connection = new RedisConnection(redis, timeoutMs, ['get', 'set', 'del']);
    // Answers' keys are hashes (43 characters of base64url): 'semantic' is never one of them.
    this.#shared = share ? new RedisSemanticIndex(this.#connection, `${prefix}semantic`) : undefined;
    this.semanticIndex = this.#shared;
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

  /**
   * Stops the clients' following of the shared semantic index (closing their connections), then
   * closes the connection made from a URL (waiting for pending replies, within `timeoutMs`); leaves
   * a given instance open.
   */
  async close(): Promise<void> {
    await this.#shared?.close();
    await this.#connection.close();
  }
}
