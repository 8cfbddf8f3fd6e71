import { LRUCache } from 'lru-cache';
import type { CacheStore } from './CacheStore.js';

/** Bounds of the in-process store. */
export interface LruCacheStoreOptions {
  /** @default 10000 */
  readonly maxEntries: number;
  /** Sum of the entries' sizes (keys and values, UTF-16). An answer larger than this is not stored. @default 64 MiB */
  readonly maxBytes: number;
}

// Date, not performance: TTLs then follow the same clock as every other limit (and fake timers in tests).
const clock = { now: (): number => Date.now() };

/**
 * The default `CacheStore`: an in-process LRU (lru-cache) bounded by entries and by bytes. Expired
 * entries are dropped when read or evicted, not by timers: a cache costs no timer at all.
 */
export class LruCacheStore implements CacheStore {
  private readonly lru: LRUCache<string, string>;

  constructor(options: LruCacheStoreOptions) {
    this.lru = new LRUCache<string, string>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (value, key) => (value.length + key.length) * 2,
      perf: clock,
      // 0: read the clock on each access. Its default caches the time and keeps a timer to forget it.
      ttlResolution: 0,
    });
  }

  get(key: string): string | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: string, ttlMs: number): void {
    this.lru.set(key, value, Number.isFinite(ttlMs) ? { ttl: ttlMs } : {});
  }

  /** Removes `key` (a no-op when absent). */
  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Entries held now (expired ones may still count until read or evicted). */
  get size(): number {
    return this.lru.size;
  }

  close(): void {
    this.lru.clear();
  }
}
