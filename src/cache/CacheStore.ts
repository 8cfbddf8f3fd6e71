import type { SharedSemanticIndex } from './SharedSemanticIndex.js';

/**
 * Where cached answers live. Values are compact strings (serialized answers) and keys are hashes:
 * no store ever holds a prompt as a key. The in-process LRU is the default; `tiered-llm/redis` has
 * `RedisCacheStore` for apps on many machines. Implement it to put the cache anywhere else.
 *
 * A store may be slow or down: the client bounds every call with `cache.timeoutMs` and carries on
 * uncached (with a `cache:error` event) when one fails, so a store need not be clever about errors.
 * After 3 failures in a row the client leaves the store alone for 5 s, then attempts it with one call.
 */
export interface CacheStore {
  /** The value stored under `key`, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined> | string | undefined;
  /** Stores `value` under `key` for `ttlMs` milliseconds (`Infinity`: no expiry). */
  set(key: string, value: string, ttlMs: number): Promise<void> | void;
  /** Removes `key` (a no-op when absent). */
  delete(key: string): Promise<void> | void;
  /** Releases what the store holds. `client.close()` calls it only on the in-process store it made itself. */
  close?(): Promise<void> | void;
  /**
   * Shares the semantic cache's index between the clients on this store (see {@link SharedSemanticIndex}).
   * Absent, each client's semantic index is its own, even when the answers are shared.
   */
  readonly semanticIndex?: SharedSemanticIndex | undefined;
}
