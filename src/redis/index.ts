/**
 * `tiered-llm/redis`: a cache store in Redis, so that processes on many machines share one cache.
 * Needs the optional peer dependency `ioredis`; the core package never loads it.
 */
export { RedisCacheStore } from './RedisCacheStore.js';
export type { RedisCacheStoreOptions } from './RedisCacheStore.js';
