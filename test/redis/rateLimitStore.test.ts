import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { RedisRateLimitStore } from '../../src/redis/index.js';
import { rateLimitStoreContract } from '../limits/rateLimitStoreContract.js';
import { noRedisServer, startRedis, stopAllRedis, type RedisServer } from '../support/redisServer.js';

let server: RedisServer;

afterAll(stopAllRedis);

describe.skipIf(noRedisServer)('RedisRateLimitStore, as a RateLimitStore', () => {
  let raw: Redis;
  beforeAll(async () => {
    server = await startRedis();
    raw = new Redis(server.url);
  });
  afterEach(() => raw.flushall());
  afterAll(() => raw?.quit());

  rateLimitStoreContract(() => new RedisRateLimitStore({ redis: server.url }));
});
