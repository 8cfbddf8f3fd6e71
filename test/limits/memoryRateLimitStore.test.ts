import { describe } from 'vitest';
import { MemoryRateLimitStore } from '../../src/index.js';
import { rateLimitStoreContract } from './rateLimitStoreContract.js';

describe('MemoryRateLimitStore, as a RateLimitStore', () => {
  rateLimitStoreContract(() => new MemoryRateLimitStore());
});
