/**
 * `tiered-llm/redis`: a cache store and a budget store in Redis, so that processes on many machines
 * share one cache and one spend budget. Needs the optional peer dependency `ioredis`; the core
 * package never loads it.
 */
export { RedisBudgetStore } from './RedisBudgetStore.js';
export { RedisCacheStore } from './RedisCacheStore.js';
export { RedisRateLimitStore } from './RedisRateLimitStore.js';
export type { RedisBudgetStoreOptions } from './RedisBudgetStore.js';
export type { RedisCacheStoreOptions } from './RedisCacheStore.js';
export type { RedisRateLimitStoreOptions } from './RedisRateLimitStore.js';
