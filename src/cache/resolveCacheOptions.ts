import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { count, section } from '../errors/checkOption.js';
import { showValue } from '../errors/showValue.js';
import type { CacheStore } from './CacheStore.js';
import { LruCacheStore } from './LruCacheStore.js';

/** Cache options with their defaults filled in. */
export interface CacheSettings {
  readonly store: CacheStore;
  readonly ttlMs: number;
  readonly policy: 'always' | 'deterministic';
  readonly namespace: string;
  readonly timeoutMs: number;
}

/** Semantic cache options, checked; the provider's client is bound by the engine. */
export interface SemanticOptions {
  readonly embeddingModel: string;
  readonly provider: string;
  readonly threshold: number;
  readonly maxEntries: number;
}

/** The `cache` option resolved: the response cache's settings and, when asked for, the semantic cache's. */
export type CacheWithSemantic = CacheSettings & { readonly semantic: SemanticOptions | undefined };

/** The defaults of the cache's fields: the bounds of the in-process store, and the semantic cache's. */
export type CacheDefaults = Omit<CacheSettings, 'store'> & {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly semantic: Pick<SemanticOptions, 'threshold' | 'maxEntries'>;
};

/** Checks the `cache` option (off when not given or `false`) and fills in `defaults`; @throws ConfigError naming the field. */
export function resolveCacheOptions(value: unknown, catalog: Catalog, defaults: CacheDefaults): CacheWithSemantic | undefined {
  if (value === undefined || value === false) return undefined;
  const cache = section(value, 'cache', ['maxEntries', 'maxBytes', 'ttlMs', 'policy', 'namespace', 'store', 'timeoutMs', 'semantic']);
  const { policy = defaults.policy, namespace = defaults.namespace, store } = cache;
  if (policy !== 'always' && policy !== 'deterministic') {
    throw new ConfigError(
      'cache.policy',
      `must be 'always' or 'deterministic', got ${showValue(policy)}`,
      "'deterministic' caches only temperature: 0 requests.",
    );
  }
  if (typeof namespace !== 'string' || namespace === '')
    throw new ConfigError('cache.namespace', 'must be a non-empty string', 'E.g. the tenant or app name.');
  if (store !== undefined && !isStore(store)) {
    throw new ConfigError(
      'cache.store',
      'must have get, set and delete methods',
      'Pass a RedisCacheStore from tiered-llm/redis, or your own CacheStore.',
    );
  }
  return {
    store:
      store ??
      new LruCacheStore({
        maxEntries: count(cache, 'cache.maxEntries', defaults.maxEntries, { min: 1, integer: true }),
        maxBytes: count(cache, 'cache.maxBytes', defaults.maxBytes, { min: 1, integer: true }),
      }),
    ttlMs: count(cache, 'cache.ttlMs', defaults.ttlMs, { min: 1, infinite: true }),
    policy,
    namespace,
    timeoutMs: count(cache, 'cache.timeoutMs', defaults.timeoutMs, { min: 1 }),
    semantic: resolveSemantic(cache.semantic, catalog, defaults.semantic),
  };
}

function resolveSemantic(value: unknown, catalog: Catalog, defaults: CacheDefaults['semantic']): SemanticOptions | undefined {
  if (value === undefined) return undefined;
  const semantic = section(value, 'cache.semantic', ['embeddingModel', 'provider', 'threshold', 'maxEntries']);
  const { embeddingModel, provider = Object.keys(catalog.providers)[0] } = semantic;
  if (typeof embeddingModel !== 'string' || embeddingModel === '') {
    throw new ConfigError('cache.semantic.embeddingModel', 'must name an embeddings model', "E.g. 'text-embedding-3-small'.");
  }
  if (typeof provider !== 'string' || !Object.hasOwn(catalog.providers, provider)) {
    throw new ConfigError(
      'cache.semantic.provider',
      `unknown provider ${showValue(provider)}`,
      `Use one of: ${Object.keys(catalog.providers).join(', ')}.`,
    );
  }
  const threshold = count(semantic, 'cache.semantic.threshold', defaults.threshold, { max: 1 });
  if (threshold === 0)
    throw new ConfigError('cache.semantic.threshold', 'must be above 0', 'Near 1 means near-identical requests only, e.g. 0.95.');
  return {
    embeddingModel,
    provider,
    threshold,
    maxEntries: count(semantic, 'cache.semantic.maxEntries', defaults.maxEntries, { min: 1, integer: true }),
  };
}

function isStore(value: unknown): value is CacheStore {
  const store = value as Partial<Record<keyof CacheStore, unknown>> | null;
  return (
    typeof store === 'object' &&
    store !== null &&
    typeof store.get === 'function' &&
    typeof store.set === 'function' &&
    typeof store.delete === 'function'
  );
}
