import { ConfigError } from '../errors/ConfigError.js';
import { count, section } from '../errors/checkOption.js';
import { MemoryRateLimitStore } from './MemoryRateLimitStore.js';
import type { RateLimitStore } from './RateLimitStore.js';

/** The `rateLimit` option with its defaults filled in. */
export interface RateLimitSettings {
  readonly waitMs: number;
  readonly store: RateLimitStore;
  /** True when the client made the store (its own to close), false for the application's. */
  readonly ownStore: boolean;
}

/** Checks the `rateLimit` option and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveRateLimitOptions(value: unknown, defaults: { readonly waitMs: number }): RateLimitSettings {
  const options = section(value, 'rateLimit', ['waitMs', 'store']);
  const { store } = options;
  if (store !== undefined && !isStore(store)) {
    throw new ConfigError(
      'rateLimit.store',
      'must be a RateLimitStore (with acquire and settle methods)',
      'Pass a RedisRateLimitStore from tiered-llm/redis, or omit it for counts in this process.',
    );
  }
  return {
    waitMs: count(options, 'rateLimit.waitMs', defaults.waitMs, { infinite: true }),
    store: store ?? new MemoryRateLimitStore(),
    ownStore: store === undefined,
  };
}

function isStore(value: unknown): value is RateLimitStore {
  const store = value as Partial<Record<keyof RateLimitStore, unknown>> | null;
  return typeof store === 'object' && store !== null && typeof store.acquire === 'function' && typeof store.settle === 'function';
}
