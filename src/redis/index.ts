/**
 * `tiered-llm/redis`: a cache store, a budget store and a rate-limit store in Redis, so that
 * processes on many machines share one cache, one spend budget and each deployment's rate limits.
 * Needs the optional peer dependency `ioredis`; the core package never loads it.
 */
export { RedisBudgetStore } from './RedisBudgetStore.js';
export { RedisCacheStore } from './RedisCacheStore.js';
export { RedisRateLimitStore } from './RedisRateLimitStore.js';
export type { RedisBudgetStoreOptions } from './RedisBudgetStore.js';
export type { RedisCacheStoreOptions } from './RedisCacheStore.js';
export type { RedisRateLimitStoreOptions } from './RedisRateLimitStore.js';
